package io.quell.execution.plan;

import io.quell.parser.text.QueryTags;
import io.quell.parser.text.SqlLexer;
import io.quell.parser.text.SqlToken;
import io.quell.parser.text.UnlexableSqlException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A query's text as the plan cache sees it, found by tokenizing, not parsing, since a cache hit
 * must cost far less than a parse: whitespace and comments collapsed to one space (but
 * sqlcommenter tags and optimizer hints kept, as they are part of what the statement says),
 * unquoted words in lower case (as the parser folds them), and the literals that can be
 * parameters lifted out as {@code ?}, each cast to exactly the type the literal has, so that
 * the lifted text validates, plans and computes as the original.
 *
 * <p>A literal stays where the planner needs its value or a parameter cannot stand: in GROUP
 * BY, ORDER BY and PARTITION BY (ordinals, and expressions that must match the select list),
 * the pattern of LIKE and SIMILAR TO, INTERVAL, inside a type's parentheses, after FETCH
 * FIRST/NEXT, before PRECEDING/FOLLOWING, in arithmetic and inside a CAST (constants the
 * planner folds, failing at planning where a parameter would not, and per-row work), and
 * wherever the token before it is not one after which an expression starts. A statement with parameters of its own lifts nothing, since
 * Calcite numbers parameters by position and the caller binds them.
 */
final class LiteralLifter {
  /** Words that start a query; anything else (DDL, SET, DML, EXPLAIN) is not cached. */
  private static final Set<String> QUERY_STARTS = Set.of("select", "with", "values", "show");

  /** Words after which an expression, and so a literal that may be a parameter, starts. */
  private static final Set<String> EXPRESSION_STARTS = Set.of("select", "where", "and", "or",
      "not", "then", "else", "when", "case", "in", "between", "on", "having", "values", "from",
      "for", "all", "distinct");

  /** Punctuation after which an expression starts (operators, commas, an open parenthesis). */
  private static final Set<String> EXPRESSION_PUNCTUATION = Set.of("(", ",", "=", "<", ">",
      "<=", ">=", "<>", "!=", "+", "-", "*", "/", "|", "||", "%");

  /** Arithmetic and concatenation, whose literal operands stay literals. */
  private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%", "|", "||");

  /** Words whose parentheses hold a type's precision, scale or length, not values. */
  private static final Set<String> TYPE_WORDS = Set.of("char", "character", "varchar",
      "varying", "decimal", "dec", "numeric", "float", "time", "timestamp", "binary",
      "varbinary", "year", "quarter", "month", "week", "day", "hour", "minute", "second");

  /** Words that end a GROUP BY, ORDER BY or PARTITION BY at its parenthesis level. */
  private static final Set<String> CLAUSE_ENDS = Set.of("having", "limit", "offset", "fetch",
      "window", "union", "intersect", "except", "minus", "qualify", "rows", "range");

  /** Calcite's largest DECIMAL precision: a longer literal would not survive a CAST. */
  private static final int MAX_DECIMAL_PRECISION = 19;

  /** TIME and TIMESTAMP precision kept in Calcite's millisecond values. */
  private static final int MAX_FRACTION_DIGITS = 3;

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");

  /**
   * A query: {@code lifted} is the text to plan and the cache key, {@code values} the lifted
   * literals' values in Calcite's internal representation (parameter {@code ?i} is value
   * {@code i}); {@code normalized} is the same text with the literals left in place;
   * {@code callerDependent} whether it calls one of {@link #CALLER_WORDS}; {@code fingerprint}
   * is {@link #fingerprint(String)}'s, from the same tokens, so that a statement is lexed once
   * for both its plan and its statistics.
   */
  record Lifted(String lifted, List<Object> values, String normalized,
      boolean callerDependent, String fingerprint) {
  }

  /**
   * The functions whose value {@link SessionUserConvertletTable} makes a constant of the plan:
   * a text that calls one (a word, not a string or a quoted name) is planned per user.
   */
  private static final Set<String> CALLER_WORDS = Set.of("user", "current_user", "session_user");

  private LiteralLifter() {
  }

  /** {@code sql} as the cache sees it; empty if it is not a query or does not tokenize. */
  static Optional<Lifted> lift(String sql) {
    List<Token> tokens = tokenize(sql);
    if (tokens == null || tokens.isEmpty()) {
      return Optional.empty();
    }
    Token first = tokens.stream().filter(t -> t.kind != Kind.KEPT_COMMENT).findFirst()
        .orElse(null);
    if (first == null || first.kind != Kind.WORD || !QUERY_STARTS.contains(first.text)) {
      return Optional.empty();
    }
    return Optional.of(new Lifting(tokens).run());
  }

  /**
   * {@code sql} as the statement statistics group it: its text as the cache normalizes it,
   * every literal as {@code ?} (those the cache keeps too) and without its sqlcommenter tags
   * (a trace id differs per request), for any statement, not only a query; null where it does
   * not lex.
   */
  static String fingerprint(String sql) {
    List<Token> tokens = tokenize(sql);
    return tokens == null ? null : fingerprint(tokens);
  }

  private static String fingerprint(List<Token> tokens) {
    StringBuilder out = new StringBuilder();
    for (Token token : tokens) {
      if (token.kind == Kind.KEPT_COMMENT && !token.text.startsWith("/*+")) {
        continue;
      }
      if (token.spaceBefore && !out.isEmpty()) {
        out.append(' ');
      }
      boolean literal = token.kind == Kind.STRING || token.kind == Kind.OTHER_LITERAL
          || token.kind == Kind.NUMBER;
      out.append(literal ? "?" : token.text);
    }
    return out.toString();
  }

  /** {@code OTHER_LITERAL}: a prefixed string ({@code N'..'}, {@code X'..'}, ...), never lifted. */
  private enum Kind {
    WORD, QUOTED, STRING, OTHER_LITERAL, NUMBER, PUNCTUATION, PARAMETER, KEPT_COMMENT
  }

  /** {@code text} as it goes into the normalized text: a word lower-cased, else verbatim. */
  private record Token(Kind kind, String text, boolean spaceBefore) {
  }

  /**
   * The tokens of {@code sql} as the lifting reads them; null where it does not lex, or a hint
   * does not end. A hint and a sqlcommenter comment are kept whole, other comments and blanks
   * become the space before the next token.
   */
  private static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    boolean space = false;
    SqlLexer lexer = new SqlLexer(sql);
    try {
      for (SqlToken token = lexer.next(); token != null; token = lexer.next()) {
        if (token.kind() == SqlToken.Kind.HINT_START) {
          int start = token.start();
          while (token != null && token.kind() != SqlToken.Kind.COMMENT_END) {
            token = lexer.next();
          }
          if (token == null) {
            return null;
          }
          tokens.add(new Token(Kind.KEPT_COMMENT, sql.substring(start, token.end()), space));
          space = false;
        } else if (QueryTags.isTagComment(token)) {
          tokens.add(new Token(Kind.KEPT_COMMENT, token.text(), space));
          space = false;
        } else if (token.kind().isTrivia()) {
          space = true;
        } else {
          Kind kind = kind(token);
          String text = token.text();
          tokens.add(new Token(kind, kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : text,
              space));
          space = false;
        }
      }
    } catch (UnlexableSqlException e) {
      return null;
    }
    return tokens;
  }

  /** A lexer token's kind here: only a plain {@code '...'} is a string that may be lifted. */
  private static Kind kind(SqlToken token) {
    return switch (token.kind()) {
      case WORD -> Kind.WORD;
      case QUOTED_IDENTIFIER -> Kind.QUOTED;
      case STRING -> token.sql().charAt(token.start()) == '\'' ? Kind.STRING
          : Kind.OTHER_LITERAL;
      case BINARY_STRING -> Kind.OTHER_LITERAL;
      case NUMBER -> Kind.NUMBER;
      case PARAMETER -> Kind.PARAMETER;
      default -> Kind.PUNCTUATION;
    };
  }

  /** A parenthesis level: whether literals in it stay, and whether it is in a BY clause. */
  private static final class Level {
    final boolean keepLiterals;
    boolean inByClause;

    Level(boolean keepLiterals) {
      this.keepLiterals = keepLiterals;
    }
  }

  /** One pass over the tokens, writing the lifted and the normalized text side by side. */
  private static final class Lifting {
    private final List<Token> tokens;
    /**
     * Whether no literal may be lifted: the statement has parameters of its own, or a
     * disjunction, from whose literals Calcite's planner derives ranges and join conditions
     * (TPC-H Q19 lifted planned a nested loop of a minute instead of a hash join).
     */
    private final boolean keepAll;
    private final StringBuilder lifted = new StringBuilder();
    private final StringBuilder normalized = new StringBuilder();
    private final List<Object> values = new ArrayList<>();
    private final Deque<Level> levels = new ArrayDeque<>();

    Lifting(List<Token> tokens) {
      this.tokens = tokens;
      this.keepAll = tokens.stream().anyMatch(t -> t.kind == Kind.PARAMETER
          || t.kind == Kind.WORD && t.text.equals("or"));
      levels.push(new Level(false));
    }

    Lifted run() {
      for (int i = 0; i < tokens.size(); i++) {
        Token token = tokens.get(i);
        String space = token.spaceBefore && normalized.length() > 0 ? " " : "";
        normalized.append(space).append(token.text);
        lifted.append(space);
        Lift lift = keepAll || levels.peek().keepLiterals || levels.peek().inByClause
            ? null : lift(i);
        if (lift == null) {
          lifted.append(token.text);
        } else {
          lifted.append(lift.text);
          values.add(lift.value);
          if (lift.tokens == 2) {
            Token literal = tokens.get(++i);
            normalized.append(literal.spaceBefore ? " " : "").append(literal.text);
          }
        }
        track(i);
      }
      return new Lifted(lifted.toString(), List.copyOf(values), normalized.toString(),
          tokens.stream().anyMatch(t -> t.kind == Kind.WORD && CALLER_WORDS.contains(t.text)),
          fingerprint(tokens));
    }

    /** The parameter that replaces the literal at {@code i} (and maybe the next token). */
    private record Lift(String text, Object value, int tokens) {
    }

    private Lift lift(int i) {
      Token token = tokens.get(i);
      if (foldedByThePlanner(i)) {
        return null;
      }
      if (!expressionStartsBefore(i)) {
        return limitOrOffset(i);
      }
      return switch (token.kind) {
        case NUMBER -> separate(i) ? number(token.text, previousIs(i, "-")) : null;
        case STRING -> !wordBefore(i) && !kindAt(i + 1, Kind.STRING) ? string(token.text) : null;
        case WORD -> word(i);
        default -> null;
      };
    }

    /** Tracks parentheses and BY clauses after the token at {@code i}. */
    private void track(int i) {
      Token token = tokens.get(i);
      Level level = levels.peek();
      if (token.kind == Kind.PUNCTUATION && token.text.equals("(")) {
        Token before = i > 0 ? tokens.get(i - 1) : null;
        boolean typeArguments = before != null && before.kind == Kind.WORD
            && TYPE_WORDS.contains(before.text);
        levels.push(new Level(level.keepLiterals || level.inByClause || typeArguments));
      } else if (token.kind == Kind.PUNCTUATION && token.text.equals(")") && levels.size() > 1) {
        levels.pop();
      } else if (token.kind == Kind.WORD && token.text.equals("by")
          && (previousIs(i, "group") || previousIs(i, "order") || previousIs(i, "partition"))) {
        level.inByClause = true;
      } else if (token.kind == Kind.WORD && CLAUSE_ENDS.contains(token.text)) {
        level.inByClause = false;
      }
    }

    /**
     * An operand of arithmetic or of a CAST. The planner folds constant arithmetic once (TPC-H
     * Q1's {@code DATE '1998-12-01' - INTERVAL '90' DAY}) and fails on a zero divisor or a
     * value that does not convert even where no row would compute it; and a parameter in
     * arithmetic on a column is read for every row ({@code 1 - l_discount}): lifted, both made
     * Q1 11% costlier (figure 1d). Such literals rarely change between a dashboard's refreshes;
     * those of predicates do, and are lifted. A typed literal ({@code DATE '...'}) is two
     * tokens, the sign of a negative number is part of it.
     */
    private boolean foldedByThePlanner(int i) {
      int after = i + (tokens.get(i).kind == Kind.WORD ? 2 : 1);
      int before = previousIs(i, "-") && !(i > 1 && operandEndsAt(i - 2)) ? i - 2 : i - 1;
      return before >= 0 && ARITHMETIC.contains(tokens.get(before).text)
          || after < tokens.size() && ARITHMETIC.contains(tokens.get(after).text)
          || previousIs(i, "(") && previousIs(i - 1, "cast");
    }

    /** Whether an operand (a name, a literal, a closing parenthesis) ends at {@code i}. */
    private boolean operandEndsAt(int i) {
      Token token = tokens.get(i);
      return token.kind == Kind.NUMBER || token.kind == Kind.STRING || token.kind == Kind.QUOTED
          || token.kind == Kind.OTHER_LITERAL
          || token.kind == Kind.WORD && !EXPRESSION_STARTS.contains(token.text)
          || token.text.equals(")");
    }

    private boolean expressionStartsBefore(int i) {
      if (i == 0) {
        return false;
      }
      Token before = tokens.get(i - 1);
      return before.kind == Kind.WORD ? EXPRESSION_STARTS.contains(before.text)
          : before.kind == Kind.PUNCTUATION && EXPRESSION_PUNCTUATION.contains(before.text);
    }

    /** LIMIT and OFFSET take a parameter as is; Calcite's runtime reads it as an INTEGER. */
    private Lift limitOrOffset(int i) {
      Token token = tokens.get(i);
      if (token.kind != Kind.NUMBER || !separate(i)
          || !(previousIs(i, "limit") || previousIs(i, "offset"))) {
        return null;
      }
      try {
        return new Lift("?", Integer.parseInt(token.text), 1);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** Whether the token at {@code i} stands apart from the next (no {@code 1e}, {@code 2x}). */
    private boolean separate(int i) {
      if (i + 1 >= tokens.size()) {
        return true;
      }
      Token next = tokens.get(i + 1);
      if (next.kind == Kind.WORD
          && (next.text.equals("preceding") || next.text.equals("following"))) {
        return false;
      }
      return next.spaceBefore || next.kind == Kind.PUNCTUATION;
    }

    /** A word right before a quote makes a prefixed string: N'', X'', _latin1'', E''. */
    private boolean wordBefore(int i) {
      return !tokens.get(i).spaceBefore && kindAt(i - 1, Kind.WORD);
    }

    private boolean kindAt(int i, Kind kind) {
      return i >= 0 && i < tokens.size() && tokens.get(i).kind == kind;
    }

    private boolean previousIs(int i, String text) {
      return i > 0 && tokens.get(i - 1).text.equals(text);
    }

    private Lift word(int i) {
      String word = tokens.get(i).text;
      if (word.equals("true") || word.equals("false")) {
        boolean afterIs = previousIs(i, "is") || previousIs(i, "not") && previousIs(i - 1, "is");
        return afterIs ? null : new Lift("CAST(? AS BOOLEAN)", word.equals("true"), 1);
      }
      if (!kindAt(i + 1, Kind.STRING) || !(word.equals("date") || word.equals("time")
          || word.equals("timestamp"))) {
        return null;
      }
      String value = unquote(tokens.get(i + 1).text);
      try {
        return switch (word) {
          case "date" -> DATE.matcher(value).matches()
              ? new Lift("CAST(? AS DATE)", (int) LocalDate.parse(value).toEpochDay(), 2)
              : null;
          case "time" -> time(value);
          default -> timestamp(value);
        };
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    private static Lift time(String value) {
      int digits = fractionDigits(value);
      if (!TIME.matcher(value).matches() || digits > MAX_FRACTION_DIGITS) {
        return null;
      }
      int millis = (int) (LocalTime.parse(value).toNanoOfDay() / 1_000_000);
      return new Lift("CAST(? AS TIME(" + digits + "))", millis, 2);
    }

    private static Lift timestamp(String value) {
      int digits = fractionDigits(value);
      if (!TIMESTAMP.matcher(value).matches() || digits > MAX_FRACTION_DIGITS) {
        return null;
      }
      // Calcite's TIMESTAMP is milliseconds since the epoch of a zone-less clock.
      long millis = LocalDateTime.parse(value.replace(' ', 'T'))
          .toInstant(ZoneOffset.UTC).toEpochMilli();
      return new Lift("CAST(? AS TIMESTAMP(" + digits + "))", millis, 2);
    }

    private static int fractionDigits(String value) {
      int dot = value.indexOf('.');
      return dot < 0 ? 0 : value.length() - dot - 1;
    }

    /**
     * A numeric literal typed as Calcite's parser types it (SqlLiteral.createExactNumeric):
     * INTEGER, else BIGINT, for digits; DECIMAL(digits, digits after the point) with a point;
     * DOUBLE with an exponent. A BIGINT after a minus sign stays: the parser folds the sign
     * into the literal, and -2147483648 is an INTEGER.
     */
    private static Lift number(String text, boolean negated) {
      if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
        return new Lift("CAST(? AS DOUBLE)", Double.parseDouble(text), 1);
      }
      int point = text.indexOf('.');
      if (point >= 0 && point < text.length() - 1) {
        int precision = text.length() - 1;
        int scale = text.length() - point - 1;
        return precision > MAX_DECIMAL_PRECISION ? null : new Lift(
            "CAST(? AS DECIMAL(" + precision + ", " + scale + "))", new BigDecimal(text), 1);
      }
      BigInteger value = new BigInteger(point < 0 ? text : text.substring(0, point));
      if (value.bitLength() < Integer.SIZE) {
        return new Lift("CAST(? AS INTEGER)", value.intValue(), 1);
      }
      return value.bitLength() < Long.SIZE && !negated
          ? new Lift("CAST(? AS BIGINT)", value.longValue(), 1) : null;
    }

    /**
     * A character literal as CHAR of its length, Calcite's type for it (in the default
     * character set, as the literal's). The empty string stays: there is no CHAR(0). So does
     * one in braces, PostgreSQL's array literal ({@code polroles = '{0}'}), which becomes an
     * array of the type it is compared with only as a literal.
     */
    private static Lift string(String text) {
      String value = unquote(text);
      return value.isEmpty() || value.startsWith("{") ? null
          : new Lift("CAST(? AS CHAR(" + value.length() + "))", value, 1);
    }

    private static String unquote(String quoted) {
      return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }
  }
}
