package io.quell.parser;

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

  private DdlKeywords() {
  }

  /** Whether {@code sql} starts with the keyword of a DDL or session-control statement. */
  public static boolean startsDdl(String sql) {
    return VERBS.contains(firstWord(sql));
  }

  /** The first word of a statement, lower case, skipping blanks, comments and parentheses. */
  static String firstWord(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toLowerCase(Locale.ROOT);
  }
}
