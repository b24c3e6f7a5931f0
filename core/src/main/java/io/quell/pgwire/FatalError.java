package io.quell.pgwire;

import io.quell.client.SqlState;

/**
 * What ends a connection with a FATAL ErrorResponse: a refused login, a session that ended (a
 * drain, CANCEL SESSION, an idle timeout), a client out of step with the protocol.
 */
final class FatalError extends Exception {
  private static final long serialVersionUID = 1L;
  private final SqlState state;

  FatalError(SqlState state, String message) {
    super(message, null, false, false);
    this.state = state;
  }

  SqlState state() {
    return state;
  }
}
