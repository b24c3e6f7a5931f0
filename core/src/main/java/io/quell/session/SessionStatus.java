package io.quell.session;

/** The {@code status} column of SHOW SESSIONS. */
public enum SessionStatus {
  ACTIVE,
  IDLE,
  CLOSED
}
