package io.quell.parser.text;

/**
 * One token of a SQL text: its kind and where it stands, {@code [start, end)} in {@link #sql}.
 * The text is not copied out until asked for, since most scanners only look at a few tokens.
 */
public record SqlToken(Kind kind, String sql, int start, int end) {
  /** What a token is, as Calcite's lexer tells them apart (its token kinds, grouped). */
  public enum Kind {
    /** Blanks: space, tab, line feed, carriage return, form feed. */
    WHITESPACE,
    /** {@code --} or {@code //} to the end of the line, the line break included. */
    LINE_COMMENT,
    /** {@code /* ... *}{@code /}, also {@code /** ... *}{@code /}; a hint is not one. */
    BLOCK_COMMENT,
    /** {@code /*+}: a hint's tokens follow, up to {@link #COMMENT_END}. */
    HINT_START,
    /** {@code *}{@code /} outside a comment: the end of a hint. */
    COMMENT_END,
    /** An unquoted identifier or keyword. */
    WORD,
    /** {@code "..."} or {@code U&"..."}, a doubled quote standing for one. */
    QUOTED_IDENTIFIER,
    /** A character literal: {@code '...'}, {@code N'...'}, {@code _charset'...'},
     * {@code U&'...'}, {@code E'...'}. */
    STRING,
    /** {@code X'...'}. */
    BINARY_STRING,
    /** An unsigned integer, decimal or approximate number. */
    NUMBER,
    /** {@code ?}. */
    PARAMETER,
    /** An operator or punctuation, or a character Calcite does not lex (which fails there). */
    SYMBOL;

    /** Whether the parser skips it: blanks and comments. */
    public boolean isTrivia() {
      return this == WHITESPACE || this == LINE_COMMENT || this == BLOCK_COMMENT;
    }

    /** Whether it is a constant: a character, binary or numeric literal. */
    public boolean isLiteral() {
      return this == STRING || this == BINARY_STRING || this == NUMBER;
    }
  }

  /** The token as written. */
  public String text() {
    return sql.substring(start, end);
  }

  public int length() {
    return end - start;
  }

  /** Whether it is the word {@code word}, in any case (keywords are case-insensitive). */
  public boolean isWord(String word) {
    return kind == Kind.WORD && end - start == word.length()
        && sql.regionMatches(true, start, word, 0, word.length());
  }

  /** Whether it is the symbol {@code symbol}. */
  public boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && end - start == symbol.length()
        && sql.startsWith(symbol, start);
  }
}
