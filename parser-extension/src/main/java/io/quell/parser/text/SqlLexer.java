package io.quell.parser.text;

import io.quell.parser.text.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * The one lexer of SQL text outside the parser: it splits a statement into the tokens that
 * Calcite's own lexer (the generated token manager, with double-quoted identifiers, Quell's
 * setting) makes of it, with blanks and comments kept as tokens of their own, so that a
 * scanner can rebuild the text around what it changes. Every scanner of statement text
 * (redaction, query tags, the plan cache's literal lifting, the DDL test) reads it through this
 * class, so that none can disagree with the parser about where a string or a comment ends.
 *
 * <p>What Calcite's lexer knows, and so this one: {@code '...'} with {@code ''} for a quote,
 * also prefixed {@code N'...'}, {@code _charset'...'}, {@code U&'...'}, {@code X'...'} and
 * {@code E'...'} (backslash escapes); {@code "..."} and {@code U&"..."} identifiers (on one
 * line, not empty, {@code ""} for a quote); {@code --} and {@code //} line comments;
 * {@code /* *}{@code /} comments, which do not nest (the first {@code *}{@code /} ends one,
 * and {@code /**} followed by a character other than {@code /} opens a comment whose end is
 * looked for after that character, as Calcite's formal comments are, so {@code /***}{@code /}
 * does not end); hints {@code /*+ ... *}{@code /}, whose contents are tokens; integers,
 * decimals and numbers with exponents; and its multi-character operators. Where Calcite's
 * lexer reads an unterminated string, quoted identifier or comment as a lone quote (or fails),
 * this one throws {@link UnlexableSqlException}. Characters Calcite does not lex at all are
 * {@link Kind#SYMBOL}s of one character here; the statement fails in the parser anyway.
 * Calcite's collation names ({@code ISO-8859-1$en_US$primary}) are words.
 */
public final class SqlLexer {
  private final String sql;
  private final int length;
  private int position;

  public SqlLexer(String sql) {
    this.sql = sql;
    this.length = sql.length();
  }

  /** All tokens of {@code sql}, trivia included. */
  public static List<SqlToken> tokens(String sql) throws UnlexableSqlException {
    SqlLexer lexer = new SqlLexer(sql);
    List<SqlToken> tokens = new ArrayList<>();
    for (SqlToken token = lexer.next(); token != null; token = lexer.next()) {
      tokens.add(token);
    }
    return tokens;
  }

  /**
   * The first {@code n} words of {@code sql} as written, past blanks, comments and opening
   * parentheses: how a statement's kind is told without parsing it. Fewer if anything else
   * comes first or the text does not lex that far.
   */
  public static List<String> leadingWords(String sql, int n) {
    List<String> words = new ArrayList<>(n);
    SqlLexer lexer = new SqlLexer(sql);
    try {
      for (SqlToken token = lexer.next(); token != null && words.size() < n;
          token = lexer.next()) {
        if (token.kind() == Kind.WORD) {
          words.add(token.text());
        } else if (!token.kind().isTrivia() && !token.isSymbol("(")) {
          break;
        }
      }
    } catch (UnlexableSqlException e) {
      // the words before the text that cannot be read
    }
    return words;
  }

  /** The next token, trivia included; null at the end of the text. */
  public SqlToken next() throws UnlexableSqlException {
    if (position >= length) {
      return null;
    }
    int start = position;
    char c = sql.charAt(start);
    Kind kind;
    int end;
    if (isBlank(c)) {
      end = start + 1;
      while (end < length && isBlank(sql.charAt(end))) {
        end++;
      }
      kind = Kind.WHITESPACE;
    } else if (sql.startsWith("--", start) || sql.startsWith("//", start)) {
      end = lineEnd(start + 2);
      kind = Kind.LINE_COMMENT;
    } else if (sql.startsWith("/*+", start)) {
      end = start + 3;
      kind = Kind.HINT_START;
    } else if (sql.startsWith("/*", start)) {
      end = commentEnd(start);
      kind = Kind.BLOCK_COMMENT;
    } else if (sql.startsWith("*/", start)) {
      end = start + 2;
      kind = Kind.COMMENT_END;
    } else if (c == '\'') {
      end = quotedEnd(start, '\'', false);
      kind = Kind.STRING;
    } else if (c == '"') {
      end = identifierEnd(start);
      kind = Kind.QUOTED_IDENTIFIER;
    } else if (isAsciiDigit(c) || c == '.' && start + 1 < length
        && isAsciiDigit(sql.charAt(start + 1))) {
      end = numberEnd(start);
      kind = Kind.NUMBER;
      int collation = collationEnd(start);
      if (collation > end) {
        end = collation;
        kind = Kind.WORD;
      }
    } else if (isLetter(c)) {
      return word(start);
    } else if (c == '?') {
      end = start + 1;
      kind = Kind.PARAMETER;
    } else {
      end = symbolEnd(start);
      kind = Kind.SYMBOL;
    }
    position = end;
    return new SqlToken(kind, sql, start, end);
  }

  /** A word, or a literal that starts like one: {@code N'}, {@code X'}, {@code E'} ... */
  private SqlToken word(int start) throws UnlexableSqlException {
    char c = Character.toUpperCase(sql.charAt(start));
    boolean quoteNext = start + 1 < length && sql.charAt(start + 1) == '\'';
    Kind kind = null;
    int end = -1;
    if (quoteNext && (c == 'N' || c == 'X')) {
      end = quotedEnd(start + 1, '\'', false);
      kind = c == 'N' ? Kind.STRING : Kind.BINARY_STRING;
    } else if (quoteNext && c == 'E') {
      end = escapedStringEnd(start + 1);
      kind = end < 0 ? null : Kind.STRING;
    } else if (c == 'U' && sql.startsWith("&'", start + 1)) {
      end = quotedEnd(start + 2, '\'', false);
      kind = Kind.STRING;
    } else if (c == 'U' && sql.startsWith("&\"", start + 1)) {
      end = identifierEnd(start + 2);
      kind = Kind.QUOTED_IDENTIFIER;
    } else if (c == '_') {
      int quote = charsetNameEnd(start + 1);
      if (quote > start + 1 && quote < length && sql.charAt(quote) == '\'') {
        try {
          end = quotedEnd(quote, '\'', false);
          kind = Kind.STRING;
        } catch (UnlexableSqlException e) {
          // Calcite then reads a shorter word, and what follows it afresh: the name may hold
          // the start of a comment ("_a--b'").
        }
      }
    }
    if (kind == null) {
      end = start + 1;
      while (end < length && (isLetter(sql.charAt(end)) || isDigit(sql.charAt(end)))) {
        end++;
      }
      end = Math.max(end, collationEnd(start));
      kind = Kind.WORD;
    }
    position = end;
    return new SqlToken(kind, sql, start, end);
  }

  /** The end of a line comment whose text starts at {@code from}: after its line break. */
  private int lineEnd(int from) {
    int i = from;
    while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    if (i < length && sql.charAt(i) == '\r') {
      i++;
      return i < length && sql.charAt(i) == '\n' ? i + 1 : i;
    }
    return i < length ? i + 1 : i;
  }

  /**
   * The end of the block comment opening at {@code start}. {@code /**} and one more character
   * open a formal comment in Calcite's lexer, whose end is looked for after that character.
   */
  private int commentEnd(int start) throws UnlexableSqlException {
    boolean formal = start + 3 < length && sql.charAt(start + 2) == '*'
        && sql.charAt(start + 3) != '/';
    int close = sql.indexOf("*/", formal ? start + 4 : start + 2);
    if (close < 0) {
      throw new UnlexableSqlException("unterminated comment", start);
    }
    return close + 2;
  }

  /**
   * The end of the text quoted by {@code quote} at {@code open}, a doubled quote standing for
   * one; with {@code oneLine}, a line break ends nothing and fails. Reading a doubled quote as
   * one is the longest match, which is Calcite's: where it reads to no end, a shorter match
   * leaves a lone quote behind, which cannot end either.
   */
  private int quotedEnd(int open, char quote, boolean oneLine) throws UnlexableSqlException {
    int i = open + 1;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (oneLine && (c == '\n' || c == '\r')) {
        break;
      }
      i++;
    }
    throw new UnlexableSqlException(
        quote == '\'' ? "unterminated string" : "unterminated quoted identifier", open);
  }

  /** A quoted identifier: on one line and not empty, as Calcite's. */
  private int identifierEnd(int open) throws UnlexableSqlException {
    int end = quotedEnd(open, '"', true);
    if (end == open + 2) {
      throw new UnlexableSqlException("empty quoted identifier", open);
    }
    return end;
  }

  /**
   * The end of {@code E'...'} whose quote is at {@code open}, where a backslash escapes the
   * next character and a doubled quote is one; -1 if no quote ends it, when Calcite reads the
   * {@code E} as a word and the rest as an ordinary string. Where the longest reading never
   * ends, the longest that does ends at the first quote of the last doubled pair.
   */
  private int escapedStringEnd(int open) {
    int lastPair = -1;
    int i = open + 1;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < length && sql.charAt(i + 1) == '\'') {
          lastPair = i;
          i += 2;
          continue;
        }
        return i + 1;
      } else {
        i++;
      }
    }
    return lastPair < 0 ? -1 : lastPair + 1;
  }

  /** The end of a character set name ({@code _latin1'...'}) starting at {@code from}. */
  private int charsetNameEnd(int from) {
    int i = from;
    if (i >= length || !isAsciiLetterOrDigit(sql.charAt(i))) {
      return from;
    }
    i++;
    while (i < length && (isAsciiLetterOrDigit(sql.charAt(i))
        || ":._-".indexOf(sql.charAt(i)) >= 0)) {
      i++;
    }
    return i;
  }

  /**
   * The end of the longest collation name at {@code start}, Calcite's
   * {@code (L|D)+ (L|D|:|.|-|_)* $ (L|_)+ ($ (L|D|_)+)?} (letters include {@code $} and
   * {@code _}), found by running that expression's automaton; {@code start} if none.
   */
  private int collationEnd(int start) {
    final int name = 1;
    final int dollar = 2;
    final int letters = 4;
    final int secondDollar = 8;
    final int tail = 16;
    char first = sql.charAt(start);
    if (!isLetter(first) && !isDigit(first)) {
      return start;
    }
    int states = name;
    int end = start;
    for (int i = start + 1; i < length && states != 0; i++) {
      char c = sql.charAt(i);
      boolean letter = isLetter(c);
      boolean digit = isDigit(c);
      int next = 0;
      if ((states & name) != 0 && (letter || digit || ":.-".indexOf(c) >= 0)) {
        next |= name;
      }
      if ((states & name) != 0 && c == '$') {
        next |= dollar;
      }
      if ((states & (dollar | letters)) != 0 && letter) {
        next |= letters;
      }
      if ((states & letters) != 0 && c == '$') {
        next |= secondDollar;
      }
      if ((states & (secondDollar | tail)) != 0 && (letter || digit)) {
        next |= tail;
      }
      states = next;
      if ((states & (letters | tail)) != 0) {
        end = i + 1;
      }
    }
    return end;
  }

  /** Digits, an optional point and digits, an optional complete exponent. */
  private int numberEnd(int start) {
    int i = digitsEnd(start);
    if (i < length && sql.charAt(i) == '.') {
      i = digitsEnd(i + 1);
    }
    if (i < length && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < length && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < length && isAsciiDigit(sql.charAt(j))) {
        i = digitsEnd(j);
      }
    }
    return i;
  }

  private int digitsEnd(int from) {
    int i = from;
    while (i < length && isAsciiDigit(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Calcite's operators of two characters, and its JDBC escapes {@code {d}, {@code {fn} ... */
  private int symbolEnd(int start) {
    char c = sql.charAt(start);
    if (c == '{') {
      int i = start + 1;
      while (i < length && sql.charAt(i) == ' ') {
        i++;
      }
      if (i < length) {
        char e = Character.toLowerCase(sql.charAt(i));
        char f = i + 1 < length ? Character.toLowerCase(sql.charAt(i + 1)) : 0;
        if (e == 'd' || e == 't') {
          return e == 't' && f == 's' ? i + 2 : i + 1;
        }
        if (e == 'f' && f == 'n') {
          return i + 2;
        }
      }
      return start + 1;
    }
    if (start + 1 < length) {
      String two = sql.substring(start, start + 2);
      switch (two) {
        case "<=", ">=", "<>", "!=", "->", "||", "=>", "..", "<<", "::" -> {
          return start + 2;
        }
        default -> {
        }
      }
    }
    return start + 1;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isAsciiDigit(c);
  }

  /** Calcite's identifier letters: ASCII letters, {@code _}, {@code $} and some ranges. */
  static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
        || c >= '\u00c0' && c <= '\u00d6' || c >= '\u00d8' && c <= '\u00f6'
        || c >= '\u00f8' && c <= '\u1fff' || c >= '\u3040' && c <= '\u318f'
        || c >= '\u3300' && c <= '\u337f' || c >= '\u3400' && c <= '\u3d2d'
        || c >= '\u4e00' && c <= '\u9fff' || c >= '\uf900' && c <= '\ufaff';
  }

  /** Calcite's identifier digits: ASCII and those of some other scripts. */
  private static boolean isDigit(char c) {
    if (c < 0x0660) {
      return isAsciiDigit(c);
    }
    for (int zero : new int[] {0x0660, 0x06f0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0c66,
        0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x1040}) {
      if (c >= zero && c <= zero + 9) {
        return true;
      }
    }
    return c >= 0x0be7 && c <= 0x0bef;
  }
}
