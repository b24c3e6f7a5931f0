package io.quell.session;

import java.util.Locale;

/**
 * How an executed statement ended: its work done (or its rows read as far as the client
 * wanted), failed with an error, or cancelled (by CANCEL, a timeout, a vanished client, a
 * drain or for memory, which the client sees as 53200).
 */
public enum StatementOutcome {
  OK, ERROR, CANCELED;

  /** The value of the {@code outcome} label of the metrics and of the slow-query log. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
