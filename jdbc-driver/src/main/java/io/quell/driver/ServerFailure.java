package io.quell.driver;

import java.sql.SQLException;

/**
 * A failure the server or the transport reported, as the SQLException the caller gets,
 * carried through Avatica's client, whose paths to the server throw unchecked exceptions only.
 * Avatica keeps it as the cause where it wraps it, and the Quell connection, statement and
 * result set classes unwrap it at the JDBC surface, so the caller sees the server's own
 * message and SQLSTATE instead of Avatica's {@code Error ... : Error while executing SQL "...":
 * Remote driver error: ...}.
 */
final class ServerFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ServerFailure(SQLException failure) {
    super(failure.getMessage(), failure);
  }

  /** What the caller gets. */
  SQLException failure() {
    return (SQLException) getCause();
  }

  /**
   * The SQLException the caller gets for {@code e}, which a call through Avatica threw: the
   * server's or the transport's if one is inside, else {@code e} itself if it is a
   * SQLException (Avatica's own, such as a closed statement), else {@code e} described, with
   * the SQLSTATE of an internal error.
   */
  static SQLException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerFailure server) {
        return server.failure();
      }
    }
    if (e instanceof SQLException sql) {
      return sql;
    }
    return new SQLException(String.valueOf(e), "XX000", e);
  }
}
