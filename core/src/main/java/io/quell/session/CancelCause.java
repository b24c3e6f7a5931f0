package io.quell.session;

/** Why a session or query was cancelled; recorded in the audit table. */
public enum CancelCause {
  STATEMENT,
  TIMEOUT,
  IDLE_TIMEOUT,
  CONNECTION_CLOSED,
  SHUTDOWN
}
