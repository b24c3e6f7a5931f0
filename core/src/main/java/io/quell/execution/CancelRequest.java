package io.quell.execution;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.ActivityKind;

/**
 * A CANCEL statement as an operation: what it cancels and where the ids come from, with no
 * syntax left in it. {@code name} is the statement's name for messages ({@code CANCEL
 * SESSIONS}); {@code multiple} says whether the source may return several ids; {@code message}
 * is what the canceler tells the victim, or null.
 */
public record CancelRequest(String name, ActivityKind kind, boolean multiple, boolean ifExists,
    IdSource source, String message) {
  /** The longest message a canceler may leave, in characters, as in the audit's column. */
  public static final int MAX_MESSAGE_LENGTH = 1000;

  public CancelRequest {
    if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE, name + ": the message has "
          + message.length() + " characters; at most " + MAX_MESSAGE_LENGTH + " are allowed");
    }
  }

  /** Where the ids come from. */
  public sealed interface IdSource {
  }

  /** One id given as a literal or bound parameter; null names nothing. */
  public record Literal(String id) implements IdSource {
  }

  /**
   * The ids a query returns, planned from the statement's syntax tree to run with the
   * caller's privileges; a scalar expression is a query of one row.
   */
  public record Query(PlannedQuery query) implements IdSource {
  }
}
