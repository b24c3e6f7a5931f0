package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.parser.text.SqlLexer;
import io.quell.parser.text.SqlToken;
import io.quell.parser.text.UnlexableSqlException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the PostgreSQL protocol needs to know of a statement's text before the engine sees it,
 * read with the one SQL lexer so that a {@code ;} or {@code $1} inside a string, a quoted
 * identifier or a comment is never taken for one: where a Query message's statements end, the
 * {@code $n} parameters of a Parse message as JDBC's {@code ?}, and a statement's first words.
 * Text the lexer cannot read (an unterminated string) is left whole for the parser to report.
 */
final class QueryText {
  private QueryText() {
  }

  /**
   * The statements of a Query message, each without its {@code ;}; statements that are blank
   * or comments only are left out, so an empty list is PostgreSQL's empty query.
   */
  static List<String> split(String sql) {
    List<SqlToken> tokens;
    try {
      tokens = SqlLexer.tokens(sql);
    } catch (UnlexableSqlException e) {
      return List.of(sql.strip());
    }
    List<String> statements = new ArrayList<>();
    int start = 0;
    boolean content = false;
    boolean inHint = false;
    for (SqlToken token : tokens) {
      if (token.kind() == SqlToken.Kind.HINT_START) {
        inHint = true;
      } else if (token.kind() == SqlToken.Kind.COMMENT_END) {
        inHint = false;
      }
      if (!inHint && token.isSymbol(";")) {
        if (content) {
          statements.add(sql.substring(start, token.start()).strip());
        }
        start = token.end();
        content = false;
      } else if (!token.kind().isTrivia()) {
        content = true;
      }
    }
    if (content) {
      statements.add(sql.substring(start).strip());
    }
    return statements;
  }

  /**
   * A statement with PostgreSQL's parameters {@code $1 .. $n} as JDBC's {@code ?}:
   * {@code parameterOf[k]} is the number (from 1) of the PostgreSQL parameter the k-th
   * {@code ?} stands for, so that one used twice is bound twice; {@code count} is the highest
   * number used.
   */
  record Parameterized(String jdbcSql, int[] parameterOf, int count) {
  }

  /** {@code sql} of a Parse message with its parameters as {@code ?}; 42601 for a {@code ?}. */
  static Parameterized parameterize(String sql) {
    List<SqlToken> tokens;
    try {
      tokens = SqlLexer.tokens(sql);
    } catch (UnlexableSqlException e) {
      return new Parameterized(sql, new int[0], 0);
    }
    StringBuilder jdbc = new StringBuilder(sql.length());
    List<Integer> order = new ArrayList<>();
    int count = 0;
    for (SqlToken token : tokens) {
      int number = parameterNumber(token);
      if (number > 0) {
        jdbc.append('?');
        order.add(number);
        count = Math.max(count, number);
      } else if (token.kind() == SqlToken.Kind.PARAMETER) {
        throw new QuellException(SqlState.SYNTAX_ERROR, "syntax error at or near \"?\": "
            + "parameters are written $1, $2, ... over the PostgreSQL protocol");
      } else {
        jdbc.append(sql, token.start(), token.end());
      }
    }
    return new Parameterized(jdbc.toString(),
        order.stream().mapToInt(Integer::intValue).toArray(), count);
  }

  /** The n of a {@code $n} token, 0 for any other token. */
  private static int parameterNumber(SqlToken token) {
    if (token.kind() != SqlToken.Kind.WORD || token.length() < 2
        || token.sql().charAt(token.start()) != '$') {
      return 0;
    }
    int number = 0;
    for (int i = token.start() + 1; i < token.end(); i++) {
      char c = token.sql().charAt(i);
      if (c < '0' || c > '9' || number > 100_000) {
        return 0;
      }
      number = number * 10 + (c - '0');
    }
    return number;
  }

  /** The first {@code n} words of {@code sql} in upper case: what its tag and kind read. */
  static List<String> firstWords(String sql, int n) {
    return SqlLexer.leadingWords(sql, n).stream()
        .map(word -> word.toUpperCase(Locale.ROOT)).toList();
  }
}
