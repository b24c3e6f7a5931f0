package io.quell.session;

/**
 * Why a session or query was cancelled; recorded in the audit table. A session it ends keeps
 * its {@link #endCause()} in the closed-session history.
 */
public enum CancelCause {
  STATEMENT("CANCELED"),
  TIMEOUT("TIMEOUT"),
  IDLE_TIMEOUT("IDLE"),
  CONNECTION_CLOSED("CLIENT"),
  /** The connection went without requests for the node's connection expiry. */
  CONNECTION_EXPIRED("EXPIRED"),
  SHUTDOWN("DRAIN"),
  /** The query reached its memory limit or the pool's, or the heap guard stopped it. */
  MEMORY("MEMORY"),
  /** A PostgreSQL client's CancelRequest (psql's Ctrl-C, pgjdbc's Statement.cancel()). */
  PG_CANCEL("CANCELED");

  private final String endCause;

  CancelCause(String endCause) {
    this.endCause = endCause;
  }

  /** The {@code end_cause} SHOW SESSIONS gives a session that this cause ended. */
  public String endCause() {
    return endCause;
  }
}
