package io.quell.execution;

/**
 * Hides the constants of a query text, as VIEWACTIVITYREDACTED requires: string and numeric
 * literals become {@code _}, identifiers (also quoted ones) and keywords stay. Works on tokens,
 * not on a parse tree, because the text of a running query may be any dialect or even invalid.
 */
public final class QueryRedactor {
  private QueryRedactor() {
  }

  public static String redact(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = skipQuoted(sql, i, '\'');
        out.append('_');
      } else if (c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (Character.isDigit(c) && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
        while (i < n && (isWordChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        out.append('_');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Index after the closing quote; a doubled quote is an escaped one. */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
