package io.quell.execution;

/**
 * Hides the constants of a query text, as VIEWACTIVITYREDACTED requires: string and numeric
 * literals become {@code _}, identifiers (also quoted ones) and keywords stay; and hides
 * passwords from everyone. Works on tokens, not on a parse tree, because the text of a running
 * query may be any dialect or even invalid.
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

  /**
   * Replaces the literal after each {@code PASSWORD} keyword with {@code '*****'}: the text of
   * a statement is kept for SHOW SESSIONS, SHOW QUERIES and the cancellation audit, and a
   * password must not reach any of them, whoever reads them.
   */
  public static String hidePasswords(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    boolean afterPassword = false;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(afterPassword && c == '\'' ? "'*****'" : sql.substring(i, end));
        afterPassword = false;
        i = end;
      } else if (isWordChar(c)) {
        int end = i;
        while (end < n && isWordChar(sql.charAt(end))) {
          end++;
        }
        afterPassword = sql.regionMatches(true, i, "PASSWORD", 0, end - i) && end - i == 8;
        out.append(sql, i, end);
        i = end;
      } else {
        afterPassword &= Character.isWhitespace(c);
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
