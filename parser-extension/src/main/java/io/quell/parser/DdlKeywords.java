package io.quell.parser;

import io.quell.parser.text.SqlLexer;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells DDL and session-control statements by their first keyword, without parsing: Calcite
 * executes these while it prepares them, so a client's prepared {@code CANCEL SESSION ?} must
 * wait for its parameters, and none of them needs the query planner Calcite builds first.
 */
public final class DdlKeywords {
  private static final Set<String> VERBS =
      Set.of("cancel", "create", "alter", "drop", "grant", "revoke", "set", "reset", "drain");

  /** The verbs of statements that control sessions rather than read data. */
  private static final Set<String> SESSION_CONTROL =
      Set.of("cancel", "show", "set", "reset", "drain");

  private DdlKeywords() {
  }

  /**
   * Whether {@code sql} is a session-control statement (CANCEL, SHOW, SET, RESET, DRAIN), which
   * an operator needs most when the node is under pressure.
   */
  public static boolean isSessionControl(String sql) {
    return SESSION_CONTROL.contains(firstWord(sql));
  }

  /**
   * Whether {@code sql} is DDL, a session-control statement or SHOW: what admission control
   * never queues. One look at the first word, for a check that runs before every statement.
   */
  public static boolean isDdlOrSessionControl(String sql) {
    String word = firstWord(sql);
    return VERBS.contains(word) || SESSION_CONTROL.contains(word);
  }

  /** Whether {@code sql} starts with the keyword of a DDL or session-control statement. */
  public static boolean startsDdl(String sql) {
    return VERBS.contains(firstWord(sql));
  }

  /**
   * The first word of a statement, lower case, past blanks, comments and parentheses; empty if
   * it starts with anything else or does not lex that far.
   */
  static String firstWord(String sql) {
    List<String> words = SqlLexer.leadingWords(sql, 1);
    return words.isEmpty() ? "" : words.get(0).toLowerCase(Locale.ROOT);
  }
}
