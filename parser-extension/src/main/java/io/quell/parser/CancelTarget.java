package io.quell.parser;

import java.util.Locale;

/** What a {@code CANCEL} statement stops: a whole session or one running query. */
public enum CancelTarget {
  SESSION,
  QUERY;

  /** The word used in messages: "session" or "query", as in {@code session ID ... not found}. */
  public String noun() {
    return name().toLowerCase(Locale.ROOT);
  }
}
