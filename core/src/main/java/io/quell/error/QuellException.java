package io.quell.error;

import static java.util.Objects.requireNonNull;

/**
 * An error a user caused or is told about, carrying the SQLSTATE a PostgreSQL or CockroachDB
 * client expects. The JDBC layer turns it into a {@link java.sql.SQLException} with that state;
 * the message never contains transport handles or secrets.
 */
public class QuellException extends RuntimeException {
  private final SqlState sqlState;

  public QuellException(SqlState sqlState, String message) {
    this(sqlState, message, null);
  }

  public QuellException(SqlState sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = requireNonNull(sqlState, "sqlState");
  }

  public SqlState sqlState() {
    return sqlState;
  }

  @Override public String toString() {
    return "QuellException[" + sqlState.code() + "]: " + getMessage();
  }
}
