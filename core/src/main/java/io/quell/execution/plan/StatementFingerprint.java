package io.quell.execution.plan;

import io.quell.parser.text.SqlRedaction;

/**
 * What the statement statistics group statements by: the plan cache's normalized text with
 * the literals out, so that statements that differ only in constants, blanks, comments, the
 * case of keywords or their sqlcommenter tags are one. It holds no constant and so no
 * password: anyone who may see a statement's fingerprint may see all of it.
 */
public final class StatementFingerprint {
  private StatementFingerprint() {
  }

  /** The fingerprint of {@code sql}; a text that does not lex is one by its length. */
  public static String of(String sql) {
    String fingerprint = LiteralLifter.fingerprint(sql);
    return fingerprint != null ? fingerprint : SqlRedaction.hideConstants(sql);
  }
}
