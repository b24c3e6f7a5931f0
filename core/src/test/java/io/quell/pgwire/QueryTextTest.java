package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quell.error.QuellException;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Statement boundaries, parameters and tags read with the one lexer: nothing inside a string,
 * a quoted identifier or a comment counts.
 */
class QueryTextTest {
  @Test void aQueryMessageSplitsAtSemicolonsOutsideStringsAndComments() {
    assertEquals(List.of("SELECT 'a;b'", "SELECT \"x;y\" FROM t", "/* ; */ SELECT 2"),
        QueryText.split("SELECT 'a;b'; SELECT \"x;y\" FROM t;\n/* ; */ SELECT 2;;"));
    assertEquals(List.of("SELECT 1 -- ; not a split"),
        QueryText.split("SELECT 1 -- ; not a split"));
    assertEquals(List.of(), QueryText.split(" ; -- nothing\n ;"));
    assertEquals(List.of("SELECT 'unterminated; SELECT 2"),
        QueryText.split("SELECT 'unterminated; SELECT 2"));
  }

  @Test void dollarParametersBecomeJdbcParametersEachBoundToItsNumber() {
    QueryText.Parameterized p = QueryText.parameterize(
        "SELECT $2, '$1', \"$1\", $1 -- $3\n WHERE a = $2");
    assertEquals("SELECT ?, '$1', \"$1\", ? -- $3\n WHERE a = ?", p.jdbcSql());
    assertArrayEquals(new int[] {2, 1, 2}, p.parameterOf());
    assertEquals(2, p.count());
    QuellException e = assertThrows(QuellException.class,
        () -> QueryText.parameterize("SELECT ?"));
    assertEquals("42601", e.sqlState().code());
  }

  @Test void tagsNameWhatTheStatementDid() {
    assertEquals("INSERT 0 3", tag("insert into t values (1)", false, 3));
    assertEquals("UPDATE 2", tag("UPDATE t SET a = 1", false, 2));
    assertEquals("SELECT 7", tag("(SELECT 1)", true, 7));
    assertEquals("SELECT 7", tag("VALUES (1)", true, 7));
    assertEquals("SHOW", tag("SHOW SESSIONS", true, 2));
    assertEquals("CREATE VIEW", tag("CREATE OR REPLACE VIEW v AS SELECT 1", false, 0));
    assertEquals("CREATE ROLE", tag("CREATE USER bob", false, 0));
    assertEquals("DROP TABLE", tag("DROP TABLE IF EXISTS t", false, 0));
    assertEquals("SET", tag("/* hi */ set statement_timeout = 1", false, 0));
    assertEquals("CANCEL QUERY", tag("CANCEL QUERY 'x'", false, 1));
  }

  private static String tag(String sql, boolean rows, long count) {
    return CommandTag.of(QueryText.firstWords(sql, CommandTag.words()), rows, count);
  }
}
