package io.quell.client;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;

import java.sql.SQLException;

/**
 * A failure the server or the transport reported, as the SQLException the caller gets,
 * carried through Avatica's client, whose paths to the server throw unchecked exceptions only.
 * Avatica keeps it as the cause where it wraps it, and the Quell connection, statement and
 * result set classes unwrap it at the JDBC surface, so the caller sees the server's own
 * message and SQLSTATE instead of Avatica's {@code Error ... : Error while executing SQL "...":
 * Remote driver error: ...}.
 */
public final class ServerFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** What Avatica's client puts before the server's message of an error reply. */
  private static final String AVATICA_REPLY_PREFIX = "Remote driver error: ";

  public ServerFailure(SQLException failure) {
    super(failure.getMessage(), failure);
  }

  /** What the caller gets. */
  SQLException failure() {
    return (SQLException) getCause();
  }

  /** The server's own message in {@code message} of an error reply, without Avatica's prefix. */
  public static String serverMessage(String message) {
    return message.startsWith(AVATICA_REPLY_PREFIX)
        ? message.substring(AVATICA_REPLY_PREFIX.length()) : message;
  }

  /**
   * The SQLException the caller gets for {@code e}, which a call through Avatica threw: the
   * server's or the transport's if one is inside (a ServerFailure, or the exception Avatica's
   * client raises for an error reply, which is how the in-process transport hands over the
   * server's errors), else {@code e} itself if it is a SQLException (Avatica's own, such as a
   * closed statement), else {@code e} described, with the SQLSTATE of an internal error.
   */
  public static SQLException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerFailure server) {
        return server.failure();
      }
      if (t instanceof AvaticaClientRuntimeException reply) {
        return new SQLException(serverMessage(reply.getMessage()), reply.getSqlState(),
            reply.getErrorCode(), reply);
      }
    }
    if (e instanceof SQLException sql) {
      return sql;
    }
    return new SQLException(String.valueOf(e), SqlState.INTERNAL_ERROR.code(), e);
  }
}
