package io.quell.parser.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quell.parser.impl.QuellSqlParserImplConstants;
import io.quell.parser.impl.QuellSqlParserImplTokenManager;
import io.quell.parser.impl.SimpleCharStream;
import io.quell.parser.impl.Token;
import io.quell.parser.impl.TokenMgrError;
import io.quell.parser.text.SqlToken.Kind;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The lexer splits text exactly where Calcite's generated lexer does: random texts built from
 * the pieces that decide where strings, identifiers and comments end are lexed both ways and
 * their tokens compared.
 */
class SqlLexerTest {
  /** Pieces that open, close or escape something, and ordinary tokens around them. */
  private static final String[] PIECES = {"'", "'", "''", "\"", "\"\"", "\\", "\\'", "/*",
      "*/", "/**", "/*+", "--", "//", "*", "/", "-", "+", "\n", "\r", "\r\n", " ", "\t", "a",
      "abc", "n", "N", "e", "E", "x", "X", "u&", "U&", "_latin1", "_utf-8", "_", "$", "1", "12",
      "3.5", ".", "..", "e5", "1e", "?", "(", ")", ",", "=", "<", ">", "!=", "|", "||", "&",
      "{", "{ d", "{fn", "{ts", ":", "::", "password", "it's", "\u00e9", "\u4e2d", "\u0661",
      ";", "[", "]", "~", "!", "!~", "~*", ":::"};

  @Test void tokensAreCalcites() {
    Random random = new Random(Long.getLong("lexer.seed", 20261205));
    int compared = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(12);
      for (int i = 0; i < pieces; i++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      compared += compare(text.toString()) ? 1 : 0;
    }
    // Most random texts lex; the comparison must not have been vacuous.
    assertTrue(compared > 50_000, compared + " texts lexed");
  }

  @Test void knownShapes() throws Exception {
    assertEquals(List.of("CREATE", "USER", "a2", "/* it's */", "WITH", "PASSWORD", "'x'"),
        texts("CREATE USER a2 /* it's */ WITH PASSWORD 'x'"));
    assertEquals(List.of("SELECT", "E'it\\'s'", ",", "x'0a'", ",", "U&'\\0041'", ",",
        "_latin1'a''b'", ",", "N'n'", ",", "\"a\"\"b\"", "// 'c\n", "1.5e-3", ".5", "1."),
        texts("SELECT E'it\\'s', x'0a', U&'\\0041', _latin1'a''b', N'n', \"a\"\"b\" // 'c\n"
            + "1.5e-3 .5 1."));
    assertEquals(List.of("/*+", "a", "(", "'x'", ")", "*/", "b"), texts("/*+ a('x') */ b"));
    assertEquals(List.of("/** x */", "/**/", "1"), texts("/** x */ /**/ 1"));
  }

  @Test void whatNeverEnds() {
    for (String sql : new String[] {"SELECT 'abc", "a /* b", "/***/", "x''' ", "\"a\nb\"",
        "\"\"", "X'ab", "U&\"a", "'it''s"}) {
      assertThrows(UnlexableSqlException.class, () -> SqlLexer.tokens(sql), sql);
    }
  }

  private static List<String> texts(String sql) throws UnlexableSqlException {
    return SqlLexer.tokens(sql).stream().filter(t -> t.kind() != Kind.WHITESPACE)
        .map(SqlToken::text).toList();
  }

  /**
   * Compares the two lexers on {@code sql}; false if Calcite's fails or leaves a lone quote,
   * where this lexer must fail too.
   */
  private static boolean compare(String sql) {
    List<String> calcite = calciteTokens(sql);
    List<SqlToken> tokens;
    try {
      tokens = SqlLexer.tokens(sql);
    } catch (UnlexableSqlException e) {
      // Calcite reads a lone quote, or three (its UESCAPE character), where a string of the
      // same start never ends; only its parser fails then, and this lexer fails earlier.
      if (calcite != null && !calcite.contains("'") && !calcite.contains("\"")
          && !calcite.contains("'''")) {
        fail("Calcite lexes " + quote(sql) + " as " + calcite + " but: " + e.getMessage());
      }
      return false;
    }
    List<String> ours = tokens.stream().filter(t -> !t.kind().isTrivia())
        .map(SqlToken::text).toList();
    if (calcite == null && tokens.stream().anyMatch(SqlLexerTest::unknownToCalcite)) {
      return false;
    }
    if (calcite == null) {
      fail("Calcite cannot lex " + quote(sql) + " but this lexer made " + ours);
    }
    assertEquals(calcite, ours, quote(sql));
    return true;
  }

  /** A character Calcite's lexer has no token for, a symbol here, which its parser rejects. */
  private static boolean unknownToCalcite(SqlToken token) {
    return token.kind() == Kind.SYMBOL && token.length() == 1
        && "\\!#@`~".indexOf(token.text().charAt(0)) >= 0 || token.text().charAt(0) > 0x7f;
  }

  /** Calcite's tokens of {@code sql} (comments and blanks skipped), null where it fails. */
  private static List<String> calciteTokens(String sql) {
    QuellSqlParserImplTokenManager lexer = new QuellSqlParserImplTokenManager(
        new SimpleCharStream(new StringReader(sql)), QuellSqlParserImplConstants.DQID);
    List<String> tokens = new ArrayList<>();
    try {
      for (Token t = lexer.getNextToken(); t.kind != QuellSqlParserImplConstants.EOF;
          t = lexer.getNextToken()) {
        tokens.add(t.image);
      }
      return tokens;
    } catch (TokenMgrError e) {
      return null;
    }
  }

  private static String quote(String sql) {
    return "[" + sql.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "]";
  }
}
