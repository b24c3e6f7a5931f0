package io.quell.parser;

import static io.quell.parser.SessionControlParserTest.assertName;
import static io.quell.parser.SessionControlParserTest.failsAnyhow;
import static io.quell.parser.SessionControlParserTest.fails;
import static io.quell.parser.SessionControlParserTest.names;
import static io.quell.parser.SessionControlParserTest.ok;
import static io.quell.parser.SessionControlParserTest.parse;
import static io.quell.parser.SessionControlParserTest.showNodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.util.Litmus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Locale;

/**
 * Parser tests for {@code CREATE [OR REPLACE] VIEW} and {@code DROP VIEW}, the shape of
 * Calcite's server grammar. Every positive case goes through {@link SessionControlParserTest#ok}:
 * parsed, unparsed in several dialects, parsed back to an equal tree, rebuilt through its
 * operators.
 */
class ViewParserTest {
  @Test void createView() {
    SqlCreateView create = ok("CREATE VIEW v AS SELECT * FROM nation", SqlCreateView.class);
    assertEquals(SqlKind.CREATE_VIEW, create.getKind());
    assertFalse(create.getReplace());
    assertName("V", create.name());
    assertNull(create.columns());
    assertInstanceOf(SqlSelect.class, create.query());
    assertEquals("CREATE VIEW \"V\" AS\nSELECT *\nFROM \"NATION\"",
        create.toSqlString(CalciteSqlDialect.DEFAULT).getSql());

    create = ok("create or replace view tpch.\"Big Nations\" (name, region) as"
        + " select n_name, n_regionkey from nation where n_nationkey > 10", SqlCreateView.class);
    assertTrue(create.getReplace());
    assertEquals(List.of("TPCH", "Big Nations"), create.name().names);
    assertEquals(List.of("NAME", "REGION"), names(create.columns()));

    ok("Create Or Replace View v (a) As Values 1",
        "CREATE OR REPLACE VIEW \"V\" (\"A\") AS\nVALUES ROW(1)");
    ok("create view s.v as select 1", "CREATE VIEW \"S\".\"V\" AS\nSELECT 1");
  }

  /** Whatever stands where a query may stands after AS. */
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM nation",
      "(SELECT * FROM nation)",
      "SHOW SESSIONS",
      "SHOW ALL LOCAL QUERIES",
      "SELECT session_id FROM (SHOW SESSIONS) AS s WHERE user_name = 'root'",
      "WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE status = 'ACTIVE'",
      "SELECT a FROM t UNION ALL SELECT b FROM u",
      "SHOW SESSIONS UNION SHOW ALL SESSIONS",
      "SELECT * FROM nation ORDER BY n_name LIMIT 5",
      "VALUES (1, 'a'), (2, 'b')",
      "TABLE nation",
      "SELECT * FROM t WHERE x IN (SHOW QUERIES)"})
  void createViewOfAnyQuery(String query) {
    for (String sql : List.of("CREATE VIEW v AS " + query,
        "create or replace view s.v (c) as " + query.toLowerCase(Locale.ROOT))) {
      final SqlCreateView create = ok(sql, SqlCreateView.class);
      assertTrue(create.query().isA(SqlKind.QUERY), sql);
      assertEquals(query.contains("SHOW"), !showNodes(create).isEmpty(), sql);
    }
  }

  @Test void createViewOfShow() {
    final SqlCreateView create = ok("CREATE VIEW active AS SHOW SESSIONS", SqlCreateView.class);
    assertInstanceOf(SqlShowSessions.class, create.query());
    ok("create view active as show sessions", "CREATE VIEW \"ACTIVE\" AS\nSHOW SESSIONS");
    final SqlOrderBy ordered = assertInstanceOf(SqlOrderBy.class,
        ok("CREATE VIEW q AS SHOW LOCAL QUERIES ORDER BY query_id DESC LIMIT 3",
            SqlCreateView.class).query());
    assertInstanceOf(SqlShowQueries.class, ordered.query);
    final SqlWith with = assertInstanceOf(SqlWith.class,
        ok("CREATE VIEW w AS WITH x AS (SHOW SESSIONS) SELECT * FROM x", SqlCreateView.class)
            .query());
    assertEquals(1, showNodes(with).size());
  }

  @Test void dropView() {
    SqlDropView drop = ok("DROP VIEW v", SqlDropView.class);
    assertEquals(SqlKind.DROP_VIEW, drop.getKind());
    assertFalse(drop.ifExists());
    assertName("V", drop.name());

    drop = ok("drop view if exists tpch.\"Big Nations\"", SqlDropView.class);
    assertTrue(drop.ifExists());
    assertEquals(List.of("TPCH", "Big Nations"), drop.name().names);

    ok("Drop View If Exists v", "DROP VIEW IF EXISTS \"V\"");
    ok("drop view s.v", "DROP VIEW \"S\".\"V\"");
  }

  /** Statements that differ in one flag or part must not be equal, or round trips prove little. */
  @Test void treesDifferInEveryPart() {
    final List<List<String>> groups = List.of(
        List.of("CREATE VIEW v AS SELECT 1", "CREATE OR REPLACE VIEW v AS SELECT 1",
            "CREATE VIEW v (a) AS SELECT 1", "CREATE VIEW v (b) AS SELECT 1",
            "CREATE VIEW w AS SELECT 1", "CREATE VIEW s.v AS SELECT 1",
            "CREATE VIEW v AS SELECT 2", "CREATE VIEW v AS SHOW SESSIONS",
            "CREATE USER v"),
        List.of("DROP VIEW v", "DROP VIEW IF EXISTS v", "DROP VIEW s.v", "DROP VIEW w",
            "DROP USER v"));
    for (List<String> group : groups) {
      for (String a : group) {
        for (String b : group) {
          assertEquals(a.equals(b), parse(a).equalsDeep(parse(b), Litmus.IGNORE), a + " / " + b);
        }
      }
    }
  }

  /** The grammar adds no word for views: VIEW and every other word still name things. */
  @Test void viewWordsRemainNames() {
    ok("select view, replace from view as sessions", SqlSelect.class);
    final SqlCreateView create = ok("CREATE VIEW view (sessions, queries) AS SHOW SESSIONS",
        SqlCreateView.class);
    assertName("VIEW", create.name());
    assertEquals(List.of("SESSIONS", "QUERIES"), names(create.columns()));
    ok("drop view if exists view", SqlDropView.class);
    ok("create view \"if\" as select 1", SqlCreateView.class);
  }

  @Test void malformedViewStatements() {
    // The template looks two tokens ahead between CREATE USER and CREATE VIEW, so a VIEW
    // without a name fails at VIEW, expecting VIEW and a name.
    fails("CREATE ^VIEW");
    fails("CREATE VIEW v^");
    fails("CREATE VIEW v AS^");
    fails("CREATE ^VIEW 'v' AS SELECT 1");
    fails("CREATE VIEW v (^) AS SELECT 1");
    fails("CREATE VIEW v (a^.b) AS SELECT 1");
    fails("CREATE VIEW v (a,^) AS SELECT 1");
    fails("CREATE VIEW v (a) ^SELECT 1");
    fails("CREATE VIEW v AS SELECT 1 ^SELECT 2");
    // Neither IF NOT EXISTS nor a bare REPLACE: IF is a name here, as in Calcite's server.
    fails("CREATE VIEW IF ^NOT EXISTS v AS SELECT 1");
    fails("CREATE ^REPLACE VIEW v AS SELECT 1");
    fails("CREATE ^OR VIEW v AS SELECT 1");
    fails("DROP VIEW^");
    fails("DROP VIEW IF EXISTS^");
    fails("DROP VIEW v^, w");
    fails("DROP VIEW v ^CASCADE");
  }

  /** As in Calcite's server grammar, a view is of a query, never of a bare expression. */
  @Test void viewOfANonQuery() throws SqlParseException {
    for (String sql : List.of("CREATE VIEW v AS 1 + 1", "CREATE VIEW v AS 'x'",
        "CREATE VIEW v AS (1)")) {
      final SqlParseException e = failsAnyhow(sql);
      assertTrue(e.getMessage().contains("Non-query expression encountered in illegal context"),
          e.getMessage());
    }
  }

  /** A view statement is DDL, run as such; no query may contain one. */
  @Test void createViewIsAStatementNotAQuery() {
    assertTrue(parse("CREATE VIEW v AS SELECT 1").isA(SqlKind.DDL));
    assertFalse(parse("CREATE VIEW v AS SELECT 1").isA(SqlKind.QUERY));
    assertTrue(parse("DROP VIEW v").isA(SqlKind.DDL));
    fails("select * from ^(create view v as select 1)");
    fails("WITH x AS (^DROP VIEW v) SELECT 1");
  }

}
