package io.quell.parser.text;

import io.quell.parser.text.SqlToken.Kind;

import org.apache.calcite.sql.parser.SqlAbstractParserImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What of a statement's text may be kept and shown. Every place that keeps or shows statement
 * text (session and query lists, closed sessions, the cancellation audit, the console, logs)
 * passes it through {@link #hidePasswords}; a caller with VIEWACTIVITYREDACTED sees other
 * users' text through {@link #hideConstants} as well; text that is not a statement but may
 * quote one (an error message, a stack trace) goes through {@link #scrubPasswords}.
 *
 * <p>All three read tokens from {@link SqlLexer}, which splits text where Calcite's parser
 * does, so a quote in a comment or a comment in a string cannot move the password out of
 * sight. The password of {@code CREATE|ALTER USER|ROLE} is the string literal right after the
 * {@code PASSWORD} keyword (the grammar's only place for one, its continued fragments
 * included), so finding that keyword among the tokens finds every password, whether or not
 * the rest of the statement parses.
 */
public final class SqlRedaction {
  /** What a password literal is replaced with. */
  public static final String HIDDEN_PASSWORD = "'*****'";
  /** What a constant is replaced with for VIEWACTIVITYREDACTED. */
  private static final String HIDDEN_CONSTANT = "_";
  private static final String PASSWORD = "password";
  private static final Set<String> RESERVED = SqlAbstractParserImpl.getSql92ReservedWords();
  /** Password values shorter than this are not hunted for in free text: they'd hide words. */
  private static final int SHORTEST_HUNTED_VALUE = 3;

  private SqlRedaction() {
  }

  /**
   * {@code sql} with each password replaced by {@value #HIDDEN_PASSWORD}, and otherwise as
   * written; text that does not lex (a string, quoted name or comment that never ends) as
   * {@code <unparseable statement: N characters>}, since nothing in it can be told to be what
   * it looks like.
   */
  public static String hidePasswords(String sql) {
    Lexed lexed = Lexed.of(sql);
    return lexed.unlexableAt() >= 0 ? unparseable(sql)
        : replace(sql, passwordRanges(lexed), HIDDEN_PASSWORD);
  }

  /**
   * A statement's tokens, as far as it lexes: its comments apart from the rest, whitespace
   * dropped; where lexing failed, or -1.
   */
  private record Lexed(String sql, List<SqlToken> tokens, List<SqlToken> comments,
      int unlexableAt) {
    static Lexed of(String sql) {
      List<SqlToken> tokens = new ArrayList<>();
      List<SqlToken> comments = new ArrayList<>();
      SqlLexer lexer = new SqlLexer(sql);
      try {
        for (SqlToken token = lexer.next(); token != null; token = lexer.next()) {
          if (!token.kind().isTrivia()) {
            tokens.add(token);
          } else if (token.kind() != Kind.WHITESPACE) {
            comments.add(token);
          }
        }
      } catch (UnlexableSqlException e) {
        return new Lexed(sql, tokens, comments, e.position());
      }
      return new Lexed(sql, tokens, comments, -1);
    }
  }

  /** Where the passwords among the tokens of {@code lexed} are, as [start, end) ranges. */
  private static List<int[]> passwordRanges(Lexed lexed) {
    String sql = lexed.sql();
    List<SqlToken> tokens = lexed.tokens();
    List<SqlToken> comments = lexed.comments();
    List<int[]> hidden = new ArrayList<>();
    int roleName = roleName(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      if (i != roleName && tokens.get(i).isWord(PASSWORD)) {
        int end = passwordEnd(tokens, i + 1);
        int first = passwordStart(tokens, i + 1);
        if (end > first) {
          hidden.add(new int[] {tokens.get(first).start(), tokens.get(end - 1).end()});
          i = end - 1;
        }
      }
    }
    // A comment is free text ("-- was: PASSWORD 'old'"): scrubbed as a log line is.
    // Only its body: the rest of a line that does not lex must not take the comment's end.
    for (SqlToken comment : comments) {
      int bodyStart = comment.start() + 2;
      int bodyEnd = comment.kind() == Kind.BLOCK_COMMENT ? comment.end() - 2 : comment.end();
      passwordsInText(sql.substring(bodyStart, bodyEnd), new ArrayList<>()).forEach(r ->
          hidden.add(new int[] {bodyStart + r[0], bodyStart + r[1]}));
    }
    return hidden;
  }

  /**
   * {@code sql} as VIEWACTIVITYREDACTED shows another user's statement: every character,
   * binary and numeric literal replaced by {@value #HIDDEN_CONSTANT} and comments dropped
   * (they say anything, constants included); names, quoted ones too, and keywords kept. A
   * hint's contents are tokens, so its constants go too.
   */
  public static String hideConstants(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    try {
      SqlLexer lexer = new SqlLexer(sql);
      for (SqlToken token = lexer.next(); token != null; token = lexer.next()) {
        if (token.kind().isLiteral()) {
          out.append(HIDDEN_CONSTANT);
        } else if (token.kind() == Kind.LINE_COMMENT) {
          out.append('\n');
        } else if (token.kind() == Kind.BLOCK_COMMENT) {
          out.append(' ');
        } else {
          out.append(sql, token.start(), token.end());
        }
      }
    } catch (UnlexableSqlException e) {
      return unparseable(sql);
    }
    return out.toString();
  }

  /**
   * {@code text}, which is not a statement but may quote one or part of one (an error message
   * that cites the statement, a stack trace), with what may be a password hidden: after each
   * word {@code PASSWORD} in it, the password that follows it as tokens, or the rest of the line
   * where they do not lex; then any other place its value appears (a parser's "Encountered"
   * quotes a token alone).
   */
  public static String scrubPasswords(String text) {
    return scrubPasswords(text, null);
  }

  /**
   * {@code text} as {@link #scrubPasswords(String)} hides it, and with the passwords of
   * {@code statement}, the statement it is about, hidden wherever the text quotes them as a
   * token (a parse error's "Encountered" quotes the token it stopped at, a password mistyped
   * as a bare word among them). Of a statement that mentions passwords but does not lex,
   * whatever follows the point where lexing fails is hidden: the error quotes that part.
   */
  public static String scrubPasswords(String text, String statement) {
    if (text == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    List<int[]> hidden = passwordsInText(text, values);
    values.removeIf(value -> value.length() < SHORTEST_HUNTED_VALUE);
    values.addAll(values.stream().map(SqlRedaction::escaped).toList());
    if (statement != null) {
      values.addAll(passwordValues(statement));
    }
    for (String value : values) {
      for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
        int end = at + value.length();
        if (!(at > 0 && isWordCharacter(text.charAt(at - 1)) && isWordCharacter(value.charAt(0))
            || end < text.length() && isWordCharacter(text.charAt(end))
                && isWordCharacter(value.charAt(value.length() - 1)))) {
          hidden.add(new int[] {at, end});
        }
      }
    }
    return replace(text, hidden, HIDDEN_PASSWORD);
  }

  /**
   * The values of the passwords of {@code statement}; of one that mentions a password but
   * does not lex, the words and numbers after the point where lexing fails.
   */
  private static List<String> passwordValues(String statement) {
    List<String> values = new ArrayList<>();
    Lexed lexed = Lexed.of(statement);
    for (int[] range : passwordRanges(lexed)) {
      // A run of fragments is quoted a token at a time.
      for (SqlToken token : lexed.tokens()) {
        if (token.start() >= range[0] && token.end() <= range[1]) {
          values.add(value(token));
          values.add(escaped(value(token)));
        }
      }
    }
    if (lexed.unlexableAt() >= 0 && !afterPasswordWords(statement).isEmpty()) {
      for (String word : statement.substring(lexed.unlexableAt()).split("[^\\p{L}\\p{N}_$]+")) {
        values.add(word);
      }
    }
    values.removeIf(String::isEmpty);
    return values;
  }

  /** {@code value} as JavaCC's messages quote a token's image, escapes and all. */
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\'' -> out.append("\\'");
        case '\\' -> out.append("\\\\");
        default -> out.append(c < 0x20 || c > 0x7e
            ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.toString();
  }

  /**
   * The ranges of free {@code text} that hold passwords: what follows, as tokens, each word
   * PASSWORD in it; their values go to {@code values}.
   */
  private static List<int[]> passwordsInText(String text, List<String> values) {
    List<int[]> hidden = new ArrayList<>();
    for (int after : afterPasswordWords(text)) {
      hideAfter(text, after, hidden, values);
    }
    return hidden;
  }

  /** Where each word PASSWORD (in any case, not part of a longer word) of {@code text} ends. */
  private static List<Integer> afterPasswordWords(String text) {
    List<Integer> ends = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    for (int at = lower.indexOf(PASSWORD); at >= 0; at = lower.indexOf(PASSWORD, at + 1)) {
      int after = at + PASSWORD.length();
      if (!(at > 0 && isWordCharacter(text.charAt(at - 1))
          || after < text.length() && isWordCharacter(text.charAt(after)))) {
        ends.add(after);
      }
    }
    return ends;
  }

  /** The text of a statement that does not lex, saying only how long it was. */
  public static String unparseable(String sql) {
    return "<unparseable statement: " + sql.length() + " characters>";
  }

  /**
   * Adds to {@code hidden} the password that follows the word PASSWORD ending at {@code from},
   * and its values to {@code values}; where the text after it does not lex, the rest of that
   * line as well.
   */
  private static void hideAfter(String text, int from, List<int[]> hidden, List<String> values) {
    String rest = text.substring(from);
    SqlLexer lexer = new SqlLexer(rest);
    List<SqlToken> tokens = new ArrayList<>();
    int unlexableAt = -1;
    try {
      // A password is at most an "=" and a run of fragments; a few tokens more tell its end.
      for (SqlToken token = lexer.next(); token != null && tokens.size() < 64;
          token = lexer.next()) {
        if (!token.kind().isTrivia()) {
          tokens.add(token);
        }
      }
    } catch (UnlexableSqlException e) {
      unlexableAt = e.position();
    }
    int first = passwordStart(tokens, 0);
    int end = passwordEnd(tokens, 0);
    for (SqlToken token : tokens.subList(first, Math.max(first, end))) {
      hidden.add(new int[] {from + token.start(), from + token.end()});
      values.add(value(token));
    }
    if (unlexableAt >= 0 && end == tokens.size()) {
      int eol = rest.indexOf('\n', unlexableAt);
      hidden.add(new int[] {from + unlexableAt, eol < 0 ? text.length() : from + eol});
    }
  }

  /**
   * The index of the role's name in {@code CREATE|ALTER USER|ROLE [IF [NOT] EXISTS] name},
   * which may be {@code password} and is then no option; -1 in any other statement.
   */
  private static int roleName(List<SqlToken> tokens) {
    if (tokens.size() < 3 || !(tokens.get(0).isWord("create") || tokens.get(0).isWord("alter"))
        || !(tokens.get(1).isWord("user") || tokens.get(1).isWord("role"))) {
      return -1;
    }
    int i = 2;
    if (tokens.get(i).isWord("if")) {
      i++;
      if (i < tokens.size() && tokens.get(i).isWord("not")) {
        i++;
      }
      if (i < tokens.size() && tokens.get(i).isWord("exists")) {
        i++;
      }
    }
    return i;
  }

  /** Where the password after a PASSWORD word begins, {@code at} the token after the word. */
  private static int passwordStart(List<SqlToken> tokens, int at) {
    // PASSWORD = 'p' does not parse, but its author meant 'p' to be the password all the same.
    return at < tokens.size() && tokens.get(at).isSymbol("=") ? at + 1 : at;
  }

  /**
   * Where the password after a PASSWORD word ends (exclusive), {@code at} the token after the
   * word; {@link #passwordStart} if there is none. The grammar's password is a character
   * string, continued fragments included; but a statement that fails to parse is kept and
   * shown too, so a password written as a quoted name, a number or a bare word is one as well.
   * {@code NULL} (no password), a reserved word ({@code SELECT password FROM t}) and the word
   * PASSWORD (of a repeated option) are not.
   */
  private static int passwordEnd(List<SqlToken> tokens, int at) {
    int i = passwordStart(tokens, at);
    if (i >= tokens.size()) {
      return i;
    }
    SqlToken token = tokens.get(i);
    if (isStringLiteral(token)) {
      while (i < tokens.size() && isStringLiteral(tokens.get(i))) {
        i++;
      }
      return i;
    }
    boolean single = token.kind() == Kind.QUOTED_IDENTIFIER || token.kind() == Kind.NUMBER
        || token.kind() == Kind.WORD && !token.isWord("null") && !token.isWord(PASSWORD)
            && !RESERVED.contains(
            token.text().toUpperCase(Locale.ROOT));
    return single ? i + 1 : i;
  }

  /** A password token's value: between its quotes (doubled ones still doubled), if quoted. */
  private static String value(SqlToken token) {
    String text = token.text();
    if (token.kind() == Kind.WORD || token.kind() == Kind.NUMBER) {
      return text;
    }
    return text.substring(text.indexOf(text.charAt(text.length() - 1)) + 1, text.length() - 1);
  }

  /** {@code text} with each of the ranges (which may overlap) replaced by {@code mask}. */
  private static String replace(String text, List<int[]> ranges, String mask) {
    if (ranges.isEmpty()) {
      return text;
    }
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int[] range : ranges) {
      if (range[1] <= copied) {
        continue;
      }
      if (range[0] >= copied) {
        out.append(text, copied, range[0]).append(mask);
      }
      copied = range[1];
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean isStringLiteral(SqlToken token) {
    return token.kind() == Kind.STRING || token.kind() == Kind.BINARY_STRING;
  }

  private static boolean isWordCharacter(char c) {
    return SqlLexer.isLetter(c) || Character.isDigit(c);
  }
}
