package io.quell.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.parser.impl.QuellSqlParserImpl;

import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.util.Litmus;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Quell's statements: every form parses to its own node, unparses to text that parses back to
 * an equal tree, and every malformed form fails with a SqlParseException carrying a position.
 */
class SessionControlParserTest {
  static SqlNode parse(String sql) throws SqlParseException {
    return SqlParser.create(sql, SqlParser.config().withParserFactory(QuellSqlParserImpl.FACTORY))
        .parseStmt();
  }

  /** Parses, unparses, parses again and demands an equal tree; returns the first tree. */
  static SqlNode roundTrip(String sql) throws SqlParseException {
    SqlNode node = parse(sql);
    String unparsed = node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    SqlNode again = parse(unparsed);
    assertTrue(node.equalsDeep(again, Litmus.IGNORE),
        () -> "round trip changed the tree:\n" + sql + "\n->\n" + unparsed);
    return node;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // the seed page, verbatim
      "SHOW SESSIONS",
      "CANCEL SESSION '1530fe0e46d2692e0000000000000001'",
      "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
          + "      WHERE user_name = 'root')",
      "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
          + "      WHERE user_name = 'maxroach')",
      // every SHOW form
      "SHOW ALL SESSIONS", "SHOW CLUSTER SESSIONS", "SHOW LOCAL SESSIONS",
      "SHOW ALL CLUSTER SESSIONS", "SHOW ALL LOCAL SESSIONS",
      "SHOW QUERIES", "SHOW ALL QUERIES", "SHOW CLUSTER QUERIES", "SHOW LOCAL QUERIES",
      "SHOW ALL LOCAL QUERIES", "SHOW STATEMENTS", "SHOW ALL CLUSTER STATEMENTS",
      "show sessions", "Show All Local Queries",
      // SHOW as a table
      "WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = 'root'",
      "SELECT * FROM (SHOW SESSIONS) AS s",
      "SELECT * FROM (SHOW LOCAL QUERIES) q JOIN (SHOW SESSIONS) s ON q.session_id = s.session_id",
      "SELECT 1 FROM t WHERE a IN (SHOW SESSIONS)",
      "WITH a AS (WITH b AS (SHOW ALL QUERIES) SELECT * FROM b) SELECT query_id FROM a",
      // CANCEL, every form
      "CANCEL SESSION IF EXISTS '1530fe0e46d2692e0000000000000001'",
      "CANCEL SESSION ?", "CANCEL SESSION IF EXISTS ?", "CANCEL SESSION NULL",
      "CANCEL SESSION (SELECT session_id FROM (SHOW SESSIONS) s WHERE user_name = 'a')",
      "CANCEL SESSIONS (SELECT session_id FROM (SHOW SESSIONS) s)",
      "CANCEL SESSIONS IF EXISTS (VALUES '1530fe0e46d2692e0000000000000001', ?)",
      "CANCEL SESSIONS SELECT session_id FROM (SHOW SESSIONS) s",
      "CANCEL QUERY '1530fe0e46d2692e0000000000000001'", "CANCEL QUERY IF EXISTS ?",
      "CANCEL QUERIES (SHOW QUERIES)",
      "CANCEL QUERIES IF EXISTS (SELECT query_id FROM (SHOW CLUSTER QUERIES) q)",
      "cancel queries if exists (select query_id from (show queries) q where user_name = ?)",
      // users and roles
      "CREATE USER maxroach", "CREATE USER IF NOT EXISTS maxroach",
      "CREATE USER maxroach WITH PASSWORD 'p'", "CREATE USER maxroach PASSWORD NULL",
      "CREATE USER ops WITH VIEWACTIVITY CANCELQUERY NOLOGIN",
      "CREATE USER r WITH NOVIEWACTIVITY NOCANCELQUERY VIEWACTIVITYREDACTED "
          + "NOVIEWACTIVITYREDACTED LOGIN",
      "CREATE ROLE readers", "CREATE ROLE IF NOT EXISTS readers WITH LOGIN",
      "ALTER USER maxroach WITH PASSWORD 'q'", "ALTER USER maxroach CANCELQUERY",
      "ALTER USER IF EXISTS maxroach WITH NOLOGIN", "ALTER ROLE readers VIEWACTIVITY",
      "DROP USER maxroach", "DROP USER IF EXISTS a, b", "DROP ROLE readers",
      "GRANT admin TO maxroach", "GRANT a, b TO c, d", "REVOKE admin FROM maxroach",
      "SHOW USERS", "SHOW ROLES", "SHOW GRANTS", "SHOW GRANTS FOR maxroach, root",
      // session variables
      "SET application_name = 'bi'", "SET application_name TO 'bi'",
      "SET statement_timeout TO '5s'", "SET statement_timeout = 1000", "RESET statement_timeout",
      "RESET ALL", "SHOW application_name", "SHOW statement_timeout", "SHOW ALL",
      // the new words are still names
      "SELECT sessions, queries, cancel, users, roles, grants, query, password FROM t",
      "SELECT * FROM sessions AS queries",
  })
  void parsesAndRoundTrips(String sql) throws SqlParseException {
    roundTrip(sql);
  }

  @Test void nodesCarryTheirOptions() throws SqlParseException {
    SqlShowQueries q = assertInstanceOf(SqlShowQueries.class, parse("SHOW ALL LOCAL STATEMENTS"));
    assertTrue(q.isAll());
    assertEquals(ActivityScope.LOCAL, q.scope());
    SqlShowSessions s = assertInstanceOf(SqlShowSessions.class, parse("SHOW SESSIONS"));
    assertFalse(s.isAll());
    assertEquals(ActivityScope.CLUSTER, s.scope());

    SqlCancelSession one = assertInstanceOf(SqlCancelSession.class,
        parse("CANCEL SESSION IF EXISTS ?"));
    assertTrue(one.ifExists());
    assertFalse(one.isMultiple());
    assertEquals(CancelTarget.SESSION, one.target());
    assertInstanceOf(SqlDynamicParam.class, one.source());
    SqlCancelQueries many = assertInstanceOf(SqlCancelQueries.class,
        parse("CANCEL QUERIES (SHOW QUERIES)"));
    assertTrue(many.isMultiple());
    assertEquals(CancelTarget.QUERY, many.target());
    assertInstanceOf(SqlCancelQuery.class, parse("CANCEL QUERY 'x'"));
    assertInstanceOf(SqlCancelSessions.class, parse("CANCEL SESSIONS (VALUES 'x')"));

    SqlCreateUser user = assertInstanceOf(SqlCreateUser.class,
        parse("CREATE USER IF NOT EXISTS u WITH PASSWORD 'p' CANCELQUERY NOLOGIN"));
    assertFalse(user.isRole());
    assertTrue(user.ifNotExists);
    assertEquals("p", ((SqlLiteral) user.password()).getValueAs(String.class));
    assertEquals(2, user.options().size());
    assertInstanceOf(SqlSetOption.class, parse("SET application_name TO 'x'"));
    assertInstanceOf(SqlShowVariable.class, parse("SHOW ALL"));
    assertInstanceOf(SqlGrantRole.class, parse("GRANT a TO b"));
    assertInstanceOf(SqlRevokeRole.class, parse("REVOKE a FROM b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CANCEL SESSION", "CANCEL SESSIONS 'x' 'y'", "SHOW SESSION", "CREATE USER u WITH FLY",
      "CANCEL QUERIES", "CANCEL SESSION IF '1'", "SHOW ALL CLUSTER", "SHOW LOCAL",
      "CANCEL SESSIONS 'abc'", "GRANT TO u", "DROP USER", "SET application_name TO",
      "CREATE USER u PASSWORD", "SHOW GRANTS FOR", "CANCEL",
  })
  void malformedStatementsFailWithPositionAndExpectedTokens(String sql) {
    SqlParseException e = assertThrows(SqlParseException.class, () -> parse(sql));
    assertNotNull(e.getPos(), sql);
    assertTrue(e.getMessage().contains("Encountered") || e.getMessage().contains("expecting")
        || e.getMessage().contains("Non-query expression"), e.getMessage());
  }
}
