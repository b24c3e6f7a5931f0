package io.quell.session;

import java.util.Locale;

/**
 * What an activity id names, a session or one of its queries: the kind the cancel route
 * resolves, the audit records and the peers are asked for. The parser's {@code CancelTarget}
 * is the syntax that maps to it.
 */
public enum ActivityKind {
  SESSION,
  QUERY;

  /** The word used in messages: "session" or "query", as in {@code session ID ... not found}. */
  public String noun() {
    return name().toLowerCase(Locale.ROOT);
  }
}
