package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

/**
 * A message that breaks the protocol (a bad length, a missing terminator, an unknown type):
 * the connection cannot be trusted to be in step any more, so it ends with a FATAL 08P01.
 */
final class ProtocolViolation extends QuellException {
  private static final long serialVersionUID = 1L;

  ProtocolViolation(String message) {
    super(SqlState.PROTOCOL_VIOLATION, message);
  }
}
