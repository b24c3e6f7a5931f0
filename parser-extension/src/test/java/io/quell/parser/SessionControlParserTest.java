package io.quell.parser;

import io.quell.parser.impl.QuellSqlParserImpl;

import com.google.common.collect.ImmutableMap;

import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.util.Objects.requireNonNull;

/**
 * Parser tests for Quell's session-control statements (SPEC.md, "Statements").
 *
 * <p>Every statement that must parse goes through {@link #ok}: it is parsed, unparsed in
 * several dialects, parsed again, and the second tree must equal the first; the tree is also
 * rebuilt call by call through its operators (as {@link SqlNode#clone} and shuttles do) and
 * must keep its classes. Every statement that must not parse goes through {@link #fails}: it
 * must raise a {@link SqlParseException} at the position marked {@code ^} in the text, with an
 * expected-token message.
 */
class SessionControlParserTest {
  /**
   * The dialects each positive case is unparsed in before it is parsed again, with the
   * identifier quoting each one writes (Calcite's ANSI dialect writes back-ticks).
   */
  private static final Map<SqlDialect, Quoting> DIALECTS = ImmutableMap.of(
      CalciteSqlDialect.DEFAULT, Quoting.DOUBLE_QUOTE,
      AnsiSqlDialect.DEFAULT, Quoting.BACK_TICK,
      PostgresqlSqlDialect.DEFAULT, Quoting.DOUBLE_QUOTE);

  /**
   * The statements of CockroachDB's CANCEL SESSION page, the seed of this project (see
   * docs/sql-reference.md), verbatim (without the "> " prompt).
   */
  static final List<String> SEED_PAGE_STATEMENTS = List.of(
      "SHOW SESSIONS;",
      "CANCEL SESSION '1530fe0e46d2692e0000000000000001';",
      "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
          + "      WHERE user_name = 'root');",
      "SHOW SESSIONS;",
      "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
          + "      WHERE user_name = 'maxroach');");

  // ---------------------------------------------------------------------------------------
  // Helpers

  private static SqlParser parser(String sql) {
    return parser(sql, Quoting.DOUBLE_QUOTE);
  }

  private static SqlParser parser(String sql, Quoting quoting) {
    return SqlParser.create(sql,
        SqlParser.config().withParserFactory(QuellSqlParserImpl.FACTORY).withQuoting(quoting));
  }

  static SqlNode parse(String sql) {
    try {
      return parser(sql).parseStmt();
    } catch (SqlParseException e) {
      throw new AssertionError("could not parse [" + sql + "]: " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code sql}; unparses the tree in every dialect of {@link #DIALECTS}; parses each
   * unparsed text again and checks that the tree is equal to the first. Returns the first tree.
   */
  static SqlNode ok(String sql) {
    final SqlNode node = parse(sql);
    for (Map.Entry<SqlDialect, Quoting> entry : DIALECTS.entrySet()) {
      final SqlDialect dialect = entry.getKey();
      final String unparsed = node.toSqlString(dialect).getSql();
      final SqlNode again;
      try {
        again = parser(unparsed, entry.getValue()).parseStmt();
      } catch (SqlParseException e) {
        throw new AssertionError("[" + sql + "] unparsed in " + dialect.getClass().getSimpleName()
            + " to [" + unparsed + "], which does not parse: " + e.getMessage(), e);
      }
      try {
        assertTrue(node.equalsDeep(again, Litmus.THROW));
      } catch (AssertionError e) {
        throw new AssertionError("[" + sql + "] unparsed in " + dialect.getClass().getSimpleName()
            + " to [" + unparsed + "], which parses to a different tree: " + e.getMessage(), e);
      }
    }
    assertRebuilds(node);
    return node;
  }

  /**
   * Rebuilds every call of the tree through its operator, the way {@link SqlNode#clone} and
   * {@link SqlShuttle}s do, and checks that each node keeps its class and the tree its meaning.
   */
  static void assertRebuilds(SqlNode node) {
    final SqlNode clone = node.clone(SqlParserPos.ZERO);
    assertEquals(node.getClass(), clone.getClass());
    assertTrue(node.equalsDeep(clone, Litmus.THROW));
    final SqlNode copy = node.accept(new SqlShuttle() {
      @Override public @Nullable SqlNode visit(SqlCall call) {
        final SqlNode visited = requireNonNull(super.visit(call), "visited");
        final SqlNode rebuilt = visited.clone(SqlParserPos.ZERO);
        assertEquals(call.getClass(), rebuilt.getClass(), () -> "rebuilt " + call);
        return rebuilt;
      }
    });
    assertNotNull(copy);
    assertTrue(node.equalsDeep(copy, Litmus.THROW));
    assertEquals(node.toSqlString(CalciteSqlDialect.DEFAULT).getSql(),
        copy.toSqlString(CalciteSqlDialect.DEFAULT).getSql());
  }

  /** {@link #ok} and a check of the node's class. */
  static <T extends SqlNode> T ok(String sql, Class<T> expectedClass) {
    return assertInstanceOf(expectedClass, ok(sql), sql);
  }

  /** {@link #ok} and a check of the text the node unparses to in Calcite's dialect. */
  static SqlNode ok(String sql, String expected) {
    final SqlNode node = ok(sql);
    assertEquals(expected, node.toSqlString(CalciteSqlDialect.DEFAULT).getSql(), sql);
    return node;
  }

  /**
   * Checks that {@code sqlWithCaret} fails to parse with a {@link SqlParseException} whose
   * position is where the single {@code ^} stands and whose message says what was
   * encountered and what was expected. Returns the exception.
   */
  static SqlParseException fails(String sqlWithCaret) {
    final int caret = sqlWithCaret.indexOf('^');
    assertTrue(caret >= 0 && sqlWithCaret.indexOf('^', caret + 1) < 0,
        "mark the error position with one ^: " + sqlWithCaret);
    final String sql = sqlWithCaret.substring(0, caret) + sqlWithCaret.substring(caret + 1);
    final SqlParseException e = failsAnyhow(sql);
    final SqlParserPos pos = e.getPos();
    assertNotNull(pos, () -> "no position in the error for [" + sql + "]");
    final String before = sql.substring(0, caret);
    final int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
    // A ^ at the very end stands for <EOF>, which Calcite places on the last character.
    final int column = caret - before.lastIndexOf('\n') - (caret == sql.length() ? 1 : 0);
    assertEquals(line + ":" + column, pos.getLineNum() + ":" + pos.getColumnNum(),
        () -> "error position for [" + sqlWithCaret + "]: " + e.getMessage());
    final String message = e.getMessage();
    assertNotNull(message);
    // "Encountered ..." or, for a reserved word, "Incorrect syntax near the keyword ...".
    assertTrue(message.contains("Was expecting"),
        () -> "not an expected-token message for [" + sql + "]: " + message);
    assertFalse(e.getExpectedTokenNames().isEmpty(),
        () -> "no expected tokens for [" + sql + "]: " + message);
    return e;
  }

  /** Checks that {@code sql} fails with a {@link SqlParseException} and nothing else. */
  static SqlParseException failsAnyhow(String sql) {
    final SqlParser parser = parser(sql);
    final Throwable t = assertThrows(Throwable.class, parser::parseStmt,
        () -> "expected [" + sql + "] not to parse");
    if (!(t instanceof SqlParseException)) {
      throw new AssertionError("[" + sql + "] raised " + t.getClass().getName()
          + " instead of SqlParseException", t);
    }
    return (SqlParseException) t;
  }

  /** The SHOW SESSIONS / SHOW QUERIES nodes inside a tree, in the order met. */
  static List<SqlShowActivity> showNodes(SqlNode node) {
    final List<SqlShowActivity> found = new ArrayList<>();
    node.accept(new SqlBasicVisitor<Void>() {
      @Override public Void visit(SqlCall call) {
        if (call instanceof SqlShowActivity) {
          found.add((SqlShowActivity) call);
        }
        for (SqlNode operand : call.getOperandList()) {
          if (operand != null) {
            operand.accept(this);
          }
        }
        return null;
      }

      @Override public Void visit(SqlNodeList nodeList) {
        for (SqlNode n : nodeList) {
          if (n != null) {
            n.accept(this);
          }
        }
        return null;
      }
    });
    return found;
  }

  static void assertName(String expected, @Nullable SqlNode node) {
    assertInstanceOf(SqlIdentifier.class, node);
    assertEquals(expected, node.toString());
  }

  static boolean isNullLiteral(@Nullable SqlNode node) {
    return node instanceof SqlLiteral && ((SqlLiteral) node).getValue() == null;
  }

  static List<String> names(SqlNodeList list) {
    final List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(((SqlIdentifier) n).getSimple()));
    return names;
  }

  static List<RoleOption> options(SqlNodeList list) {
    final List<RoleOption> options = new ArrayList<>();
    list.forEach(n -> options.add(((SqlLiteral) n).getValueAs(RoleOption.class)));
    return options;
  }

  // ---------------------------------------------------------------------------------------
  // The seed page

  @Test void seedPageStatementsParseVerbatimOneByOne() throws SqlParseException {
    for (String statement : SEED_PAGE_STATEMENTS) {
      // As a one-statement script, the trailing ';' included ...
      final SqlNodeList list = parser(statement).parseStmtList();
      assertEquals(1, list.size(), statement);
      // ... and as a statement.
      final SqlNode node = ok(statement.substring(0, statement.length() - 1));
      assertTrue(node.equalsDeep(list.get(0), Litmus.THROW));
    }
  }

  @Test void seedPageAsOneScript() throws SqlParseException {
    final SqlNodeList list = parser(String.join("\n\n", SEED_PAGE_STATEMENTS)).parseStmtList();
    assertEquals(5, list.size());
    assertInstanceOf(SqlShowSessions.class, list.get(0));
    assertInstanceOf(SqlCancelSession.class, list.get(1));
    assertInstanceOf(SqlCancelSessions.class, list.get(2));
    assertInstanceOf(SqlShowSessions.class, list.get(3));
    assertInstanceOf(SqlCancelSessions.class, list.get(4));
  }

  @Test void seedPageShowSessions() {
    final SqlShowSessions show = ok("SHOW SESSIONS", SqlShowSessions.class);
    assertFalse(show.isAll());
    assertEquals(ActivityScope.CLUSTER, show.scope());
    assertTrue(show.isA(SqlKind.QUERY));
  }

  @Test void seedPageCancelSession() {
    final SqlCancelSession cancel =
        ok("CANCEL SESSION '1530fe0e46d2692e0000000000000001'", SqlCancelSession.class);
    assertEquals(CancelTarget.SESSION, cancel.target());
    assertFalse(cancel.isMultiple());
    assertFalse(cancel.ifExists());
    final SqlLiteral id = assertInstanceOf(SqlLiteral.class, cancel.source());
    assertEquals("1530fe0e46d2692e0000000000000001", id.getValueAs(String.class));
    assertEquals("CANCEL SESSION '1530fe0e46d2692e0000000000000001'",
        cancel.toSqlString(CalciteSqlDialect.DEFAULT).getSql());
  }

  /** The multi-line CANCEL SESSIONS of the page, without its ';'. */
  @ParameterizedTest
  @ValueSource(strings = {"root", "maxroach"})
  void seedPageCancelSessions(String user) {
    final String sql = "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
        + "      WHERE user_name = '" + user + "')";
    final SqlCancelSessions cancel = ok(sql, SqlCancelSessions.class);
    assertEquals(CancelTarget.SESSION, cancel.target());
    assertTrue(cancel.isMultiple());
    assertFalse(cancel.ifExists());
    final SqlWith with = assertInstanceOf(SqlWith.class, cancel.source());
    final SqlWithItem x = assertInstanceOf(SqlWithItem.class, with.withList.get(0));
    assertEquals("X", x.name.getSimple());
    assertInstanceOf(SqlShowSessions.class, x.query);
    final SqlSelect select = assertInstanceOf(SqlSelect.class, with.body);
    assertTrue(String.valueOf(select.getWhere()).contains("'" + user + "'"));
    assertEquals("CANCEL SESSIONS WITH \"X\" AS (SHOW SESSIONS) SELECT \"SESSION_ID\"\n"
            + "FROM \"X\"\n"
            + "WHERE \"USER_NAME\" = '" + user + "'",
        cancel.toSqlString(CalciteSqlDialect.DEFAULT).getSql());
    assertEquals(CancelTarget.SESSION, cancel.target());
  }

  // ---------------------------------------------------------------------------------------
  // SHOW [ALL] [CLUSTER | LOCAL] SESSIONS | QUERIES | STATEMENTS

  static Stream<Arguments> showActivityCombinations() {
    final List<Arguments> list = new ArrayList<>();
    for (boolean all : new boolean[] {false, true}) {
      for (String scope : new String[] {"", "CLUSTER", "LOCAL"}) {
        for (String noun : new String[] {"SESSIONS", "QUERIES", "STATEMENTS"}) {
          list.add(Arguments.of(all, scope, noun));
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "SHOW all={0} scope={1} {2}")
  @MethodSource("showActivityCombinations")
  void showActivity(boolean all, String scope, String noun) {
    final String sql = "SHOW " + (all ? "ALL " : "") + (scope.isEmpty() ? "" : scope + " ") + noun;
    final ActivityScope expectedScope =
        scope.equals("LOCAL") ? ActivityScope.LOCAL : ActivityScope.CLUSTER;
    final Class<? extends SqlShowActivity> expectedClass =
        noun.equals("SESSIONS") ? SqlShowSessions.class : SqlShowQueries.class;
    for (String text : List.of(sql, sql.toLowerCase(Locale.ROOT))) {
      final SqlShowActivity show = ok(text, expectedClass);
      assertEquals(all, show.isAll(), text);
      assertEquals(expectedScope, show.scope(), text);
      // The same statement where a table may stand.
      final SqlNode query = ok("SELECT * FROM (" + text + ") AS a");
      final List<SqlShowActivity> inner = showNodes(query);
      assertEquals(1, inner.size());
      assertInstanceOf(expectedClass, inner.get(0));
      assertEquals(all, inner.get(0).isAll());
      assertEquals(expectedScope, inner.get(0).scope());
    }
  }

  @Test void showActivityUnparse() {
    ok("show sessions", "SHOW SESSIONS");
    ok("Show Cluster Sessions", "SHOW SESSIONS");
    ok("sHoW aLl LoCaL sEsSiOnS", "SHOW ALL LOCAL SESSIONS");
    ok("show local statements", "SHOW LOCAL QUERIES");
    ok("SHOW ALL CLUSTER QUERIES", "SHOW ALL QUERIES");
  }

  // ---------------------------------------------------------------------------------------
  // SHOW SESSIONS / QUERIES as a query

  @Test void showInWith() {
    final SqlWith with = ok("WITH x AS (SHOW SESSIONS) SELECT session_id FROM x"
        + " WHERE user_name = 'root'", SqlWith.class);
    assertInstanceOf(SqlShowSessions.class, ((SqlWithItem) with.withList.get(0)).query);
  }

  @Test void showInWithSeveralItems() {
    final SqlWith with = ok("with s as (show local sessions), q as (show all queries)\n"
        + "select q.query_id, s.session_id from s join q on s.session_id = q.session_id",
        SqlWith.class);
    assertEquals(2, with.withList.size());
    final List<SqlShowActivity> shows = showNodes(with);
    assertEquals(2, shows.size());
    assertEquals(ActivityScope.LOCAL, shows.get(0).scope());
    assertInstanceOf(SqlShowQueries.class, shows.get(1));
    assertTrue(shows.get(1).isAll());
  }

  @Test void showInNestedWith() {
    final SqlWith outer = ok("WITH a AS (WITH b AS (SHOW ALL LOCAL SESSIONS)"
        + " SELECT session_id, user_name FROM b)"
        + " SELECT session_id FROM a WHERE user_name <> 'root'", SqlWith.class);
    final SqlWithItem a = (SqlWithItem) outer.withList.get(0);
    final SqlWith inner = assertInstanceOf(SqlWith.class, a.query);
    final SqlShowSessions show = assertInstanceOf(SqlShowSessions.class,
        ((SqlWithItem) inner.withList.get(0)).query);
    assertTrue(show.isAll());
    assertEquals(ActivityScope.LOCAL, show.scope());
  }

  @Test void showInFrom() {
    final SqlSelect select = ok("SELECT * FROM (SHOW SESSIONS) AS s", SqlSelect.class);
    final SqlBasicCall as = assertInstanceOf(SqlBasicCall.class, select.getFrom());
    assertEquals(SqlKind.AS, as.getKind());
    assertInstanceOf(SqlShowSessions.class, as.operand(0));
    assertName("S", as.operand(1));
    ok("select * from (show sessions)");
    ok("select s.session_id, q.query from (show sessions) as s\n"
        + "left join (show queries) as q on s.session_id = q.session_id\n"
        + "where s.status = 'ACTIVE' order by s.session_start desc limit 10");
    ok("select count(*) from (show local queries) q (a, b, c, d, e, f, g, h, i, j)");
  }

  @Test void showInInSubQuery() {
    final SqlNode node = ok("SELECT query_id FROM (SHOW QUERIES)"
        + " WHERE session_id IN (SHOW SESSIONS)");
    assertEquals(2, showNodes(node).size());
    ok("select * from t where session_id in (show all cluster sessions)");
    ok("select * from t where session_id not in (show local statements)");
    ok("SELECT query_id FROM (SHOW QUERIES) WHERE session_id IN"
        + " (SELECT session_id FROM (SHOW SESSIONS) WHERE user_name = 'maxroach')");
    ok("select * from t where exists (show queries)");
    ok("select (select count(*) from (show sessions)) from t");
  }

  @Test void showInSetOperations() {
    final SqlNode node = ok("select session_id from (show sessions)"
        + " union all select session_id from (show queries)");
    assertEquals(SqlKind.UNION, node.getKind());
    assertEquals(2, showNodes(node).size());
    // Like SELECT, SHOW is a leaf query: a set operation or INSERT takes it bare.
    assertEquals(2,
        showNodes(ok("select * from (show local sessions) except show all sessions")).size());
    assertEquals(2, showNodes(ok("(show local sessions) except (show all sessions)")).size());
    // ... also at the start of a statement, where SHOW SESSIONS is the SHOW statement.
    assertEquals(2, showNodes(ok("show local sessions except show all sessions")).size());
    final SqlNode ordered = ok("SHOW QUERIES ORDER BY query_id DESC LIMIT 5");
    assertEquals(SqlKind.ORDER_BY, ordered.getKind());
    assertEquals(1, showNodes(ordered).size());
    ok("show sessions union all show sessions order by 1",
        "SHOW SESSIONS UNION ALL\nSHOW SESSIONS\nORDER BY 1");
    assertEquals(1, showNodes(ok("insert into audit show queries")).size());
  }

  @Test void showIsNoExpression() {
    // Like SELECT, SHOW needs parentheses where an expression stands.
    fails("select ^show sessions from t");
    fails("select * from t where x ^= show sessions");
    fails("CANCEL SESSION ^SHOW SESSIONS");
    fails("select * from ^show sessions");
    ok("select (show sessions) from t");
  }

  // ---------------------------------------------------------------------------------------
  // CANCEL SESSION | QUERY [IF EXISTS] expr

  static Stream<Arguments> cancelOneCombinations() {
    final List<Arguments> list = new ArrayList<>();
    for (String target : new String[] {"SESSION", "QUERY"}) {
      for (boolean ifExists : new boolean[] {false, true}) {
        for (String source : new String[] {
            "'1530fe0e46d2692e0000000000000001'",
            "?",
            "(SELECT session_id FROM (SHOW SESSIONS) WHERE user_name = 'maxroach')",
            "NULL"}) {
          list.add(Arguments.of(target, ifExists, source));
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "CANCEL {0} ifExists={1} {2}")
  @MethodSource("cancelOneCombinations")
  void cancelOne(String target, boolean ifExists, String source) {
    final String sql = "CANCEL " + target + (ifExists ? " IF EXISTS " : " ") + source;
    final Class<? extends SqlCancel> expectedClass =
        target.equals("SESSION") ? SqlCancelSession.class : SqlCancelQuery.class;
    for (String text : List.of(sql, sql.toLowerCase(Locale.ROOT))) {
      final SqlCancel cancel = ok(text, expectedClass);
      assertEquals(ifExists, cancel.ifExists(), text);
      assertFalse(cancel.isMultiple());
      assertEquals(CancelTarget.valueOf(target), cancel.target());
      switch (source.charAt(0)) {
      case '\'':
        assertEquals(SqlKind.LITERAL, cancel.source().getKind());
        break;
      case '?':
        assertInstanceOf(SqlDynamicParam.class, cancel.source());
        break;
      case '(':
        // A scalar sub-query: the SELECT, which unparses in parentheses again.
        assertInstanceOf(SqlSelect.class, cancel.source());
        assertEquals(1, showNodes(cancel.source()).size());
        break;
      default:
        assertTrue(isNullLiteral(cancel.source()));
      }
    }
  }

  @Test void cancelOneUnparse() {
    ok("cancel session if exists ?", "CANCEL SESSION IF EXISTS ?");
    ok("Cancel Query 'abc'", "CANCEL QUERY 'abc'");
    ok("CANCEL QUERY (SELECT query_id FROM (SHOW QUERIES) LIMIT 1)",
        "CANCEL QUERY (SELECT \"QUERY_ID\"\nFROM (SHOW QUERIES)\nFETCH NEXT 1 ROWS ONLY)");
    ok("CANCEL SESSION (SHOW SESSIONS)", "CANCEL SESSION (SHOW SESSIONS)");
  }

  @Test void cancelOneExpressions() {
    // Any expression is an id at parse time; what it evaluates to is checked when it runs.
    ok("cancel session 'abc' || ?", SqlCancelSession.class);
    ok("cancel query cast(? as varchar)", SqlCancelQuery.class);
    ok("cancel session if exists lower('ABC')", SqlCancelSession.class);
    // IF here is MySQL's IF function, not the start of IF EXISTS.
    final SqlCancelSession cancel =
        ok("cancel session if(? is null, 'a', 'b')", SqlCancelSession.class);
    assertFalse(cancel.ifExists());
  }

  // ---------------------------------------------------------------------------------------
  // CANCEL SESSIONS | QUERIES [IF EXISTS] query

  static Stream<Arguments> cancelManyCombinations() {
    final List<Arguments> list = new ArrayList<>();
    for (String target : new String[] {"SESSIONS", "QUERIES"}) {
      for (boolean ifExists : new boolean[] {false, true}) {
        for (String source : new String[] {
            "(SELECT session_id FROM (SHOW SESSIONS) WHERE user_name = 'maxroach')",
            "SELECT query_id FROM (SHOW CLUSTER QUERIES) WHERE user_name = 'maxroach'",
            "(WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = 'root')",
            "WITH x AS (SHOW LOCAL QUERIES) SELECT query_id FROM x",
            "VALUES ('1530fe0e46d2692e0000000000000001'), ('15310cc79671fc6a0000000000000001')",
            "SELECT session_id FROM (SHOW SESSIONS) ORDER BY session_start DESC LIMIT 2",
            "SELECT id FROM a UNION SELECT id FROM b",
            "(SHOW ALL SESSIONS)",
            "SHOW QUERIES",
            "TABLE quell_internal.node_sessions"}) {
          list.add(Arguments.of(target, ifExists, source));
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "CANCEL {0} ifExists={1} {2}")
  @MethodSource("cancelManyCombinations")
  void cancelMany(String target, boolean ifExists, String source) {
    final String sql = "CANCEL " + target + (ifExists ? " IF EXISTS " : " ") + source;
    final Class<? extends SqlCancel> expectedClass =
        target.equals("SESSIONS") ? SqlCancelSessions.class : SqlCancelQueries.class;
    for (String text : List.of(sql, sql.toLowerCase(Locale.ROOT))) {
      final SqlCancel cancel = ok(text, expectedClass);
      assertEquals(ifExists, cancel.ifExists(), text);
      assertTrue(cancel.isMultiple());
      assertEquals(target.equals("SESSIONS") ? CancelTarget.SESSION : CancelTarget.QUERY,
          cancel.target());
      assertTrue(cancel.source().isA(SqlKind.QUERY), text);
    }
  }

  @Test void cancelManyUnparse() {
    ok("cancel queries if exists (values ('a'))", "CANCEL QUERIES IF EXISTS VALUES ROW('a')");
    ok("cancel sessions (show sessions)", "CANCEL SESSIONS SHOW SESSIONS");
  }

  @Test void cancelWithMessage() {
    SqlCancel one = (SqlCancel) ok("cancel query 'abc' with message 'it''s the nightly load'",
        "CANCEL QUERY 'abc' WITH MESSAGE 'it''s the nightly load'");
    assertEquals("it's the nightly load", ((SqlLiteral) one.message()).toValue());
    ok("CANCEL SESSION IF EXISTS ? WITH MESSAGE ?", "CANCEL SESSION IF EXISTS ? WITH MESSAGE ?");
    assertInstanceOf(SqlDynamicParam.class,
        ok("CANCEL SESSION ? WITH MESSAGE ?", SqlCancelSession.class).message());
    assertTrue(isNullLiteral(ok("CANCEL QUERY ? WITH MESSAGE NULL", SqlCancelQuery.class)
        .message()));
    ok("CANCEL QUERY (SELECT query_id FROM (SHOW QUERIES) LIMIT 1) WITH MESSAGE 'm'",
        "CANCEL QUERY (SELECT \"QUERY_ID\"\nFROM (SHOW QUERIES)\nFETCH NEXT 1 ROWS ONLY) "
            + "WITH MESSAGE 'm'");
    ok("cancel queries if exists (values ('a')) with message 'm'",
        "CANCEL QUERIES IF EXISTS (VALUES ROW('a')) WITH MESSAGE 'm'");
    ok("cancel sessions show sessions with message 'm'",
        "CANCEL SESSIONS (SHOW SESSIONS) WITH MESSAGE 'm'");
    ok("CANCEL SESSIONS SELECT session_id FROM (SHOW SESSIONS) WHERE user_name = 'maxroach' "
        + "WITH MESSAGE 'moving your account'", SqlCancelSessions.class);
    // Parenthesized, UNNEST's own WITH ORDINALITY cannot take the message's WITH.
    ok("CANCEL QUERIES (SELECT * FROM UNNEST(ARRAY['a'])) WITH MESSAGE 'm'",
        SqlCancelQueries.class);
    assertNull(ok("CANCEL QUERY 'abc'", SqlCancelQuery.class).message());
    // Adjacent literals are one string, as anywhere in SQL.
    assertEquals("ab", SqlLiteral.unchain(ok("CANCEL SESSION 'x' WITH MESSAGE 'a'\n'b'",
        SqlCancelSession.class).message()).toValue());
  }

  @Test void cancelWithMessageErrors() {
    fails("CANCEL QUERY 'abc' WITH MESSAGE ^42");
    fails("CANCEL QUERY 'abc' WITH MESSAGE ^lower('A')");
    fails("CANCEL QUERY 'abc' WITH MESSAGE^");
    fails("CANCEL QUERY 'abc' WITH ^'m'");
    fails("CANCEL SESSIONS SHOW SESSIONS WITH MESSAGE 'a' ^, 'b'");
  }

  // ---------------------------------------------------------------------------------------
  // Users and roles

  @Test void createUser() {
    SqlCreateUser create = ok("CREATE USER maxroach", SqlCreateUser.class);
    assertFalse(create.isRole());
    assertFalse(create.ifNotExists);
    assertFalse(create.getReplace());
    assertName("MAXROACH", create.name());
    assertTrue(create.options().isEmpty());
    assertNull(create.password());

    create = ok("CREATE USER IF NOT EXISTS maxroach WITH PASSWORD 'secret'"
        + " VIEWACTIVITY CANCELQUERY", SqlCreateUser.class);
    assertTrue(create.ifNotExists);
    assertEquals("secret", ((SqlLiteral) create.password()).getValueAs(String.class));
    assertEquals(List.of(RoleOption.VIEWACTIVITY, RoleOption.CANCELQUERY),
        options(create.options()));

    create = ok("create user u password null", SqlCreateUser.class);
    assertTrue(isNullLiteral(create.password()));

    create = ok("create user u with viewactivity password 'p' nologin", SqlCreateUser.class);
    assertEquals("p", ((SqlLiteral) create.password()).getValueAs(String.class));
    assertEquals(List.of(RoleOption.VIEWACTIVITY, RoleOption.NOLOGIN),
        options(create.options()));

    create = ok("Create User \"MaxRoach\" Login NoViewActivity NoCancelQuery"
        + " NoViewActivityRedacted", SqlCreateUser.class);
    assertEquals("MaxRoach", create.name().getSimple());
    assertEquals(List.of(RoleOption.LOGIN, RoleOption.NOVIEWACTIVITY, RoleOption.NOCANCELQUERY,
        RoleOption.NOVIEWACTIVITYREDACTED),
        options(create.options()));

    ok("create user if not exists u with password 'it''s' viewactivity cancelquery",
        "CREATE USER IF NOT EXISTS \"U\" WITH PASSWORD 'it''s' VIEWACTIVITY CANCELQUERY");
    ok("create user u with", "CREATE USER \"U\"");
  }

  @Test void connectionLimit() {
    SqlCreateUser create = ok("create user u with connection limit 5 login",
        SqlCreateUser.class);
    assertEquals(5, ((SqlLiteral) create.connectionLimit()).intValue(true));
    ok("CREATE USER u WITH PASSWORD 'p' CONNECTION LIMIT -1",
        "CREATE USER \"U\" WITH PASSWORD 'p' CONNECTION LIMIT -1");
    SqlAlterUser alter = ok("ALTER ROLE r CONNECTION LIMIT 0", SqlAlterUser.class);
    assertEquals(0, ((SqlLiteral) alter.connectionLimit()).intValue(true));
    assertNull(ok("CREATE USER u", SqlCreateUser.class).connectionLimit());
    fails("CREATE USER u CONNECTION LIMIT ^'5'");
    fails("CREATE USER u CONNECTION ^5");
    fails("ALTER USER u CONNECTION LIMIT^");
    failsAnyhow("CREATE USER u CONNECTION LIMIT 1 CONNECTION LIMIT 2");
  }

  @Test void queryLimit() {
    SqlCreateUser create = ok("create role r with query limit 3 connection limit 5",
        SqlCreateUser.class);
    assertEquals(3, ((SqlLiteral) create.queryLimit()).intValue(true));
    assertEquals(5, ((SqlLiteral) create.connectionLimit()).intValue(true));
    ok("CREATE USER u WITH QUERY LIMIT -1 VIEWACTIVITY",
        "CREATE USER \"U\" WITH QUERY LIMIT -1 VIEWACTIVITY");
    SqlAlterUser alter = ok("ALTER USER u QUERY LIMIT 0", SqlAlterUser.class);
    assertEquals(0, ((SqlLiteral) alter.queryLimit()).intValue(true));
    assertNull(alter.connectionLimit());
    assertNull(ok("CREATE USER u", SqlCreateUser.class).queryLimit());
    fails("ALTER USER u QUERY LIMIT ^'2'");
    fails("ALTER USER u QUERY ^2");
    failsAnyhow("ALTER USER u QUERY LIMIT 1 QUERY LIMIT 2");
  }

  @Test void drainNode() {
    ok("drain node", SqlDrainNode.class);
    ok("DRAIN NODE", "DRAIN NODE");
    failsAnyhow("DRAIN NODES");
    fails("DRAIN NODE ^1");
    // Both words stay names.
    ok("SELECT node, drain FROM t", "SELECT \"NODE\", \"DRAIN\"\nFROM \"T\"");
  }

  @Test void createRole() {
    SqlCreateUser create = ok("CREATE ROLE analysts", SqlCreateUser.class);
    assertTrue(create.isRole());
    assertName("ANALYSTS", create.name());
    create = ok("create role if not exists auditors with nologin viewactivityredacted",
        SqlCreateUser.class);
    assertTrue(create.isRole());
    assertTrue(create.ifNotExists);
    assertEquals(List.of(RoleOption.NOLOGIN, RoleOption.VIEWACTIVITYREDACTED),
        options(create.options()));
    ok("CREATE ROLE r WITH VIEWACTIVITY", "CREATE ROLE \"R\" WITH VIEWACTIVITY");
  }

  @Test void alterUser() {
    SqlAlterUser alter = ok("ALTER USER maxroach WITH CANCELQUERY", SqlAlterUser.class);
    assertFalse(alter.isRole());
    assertFalse(alter.ifExists());
    assertName("MAXROACH", alter.name());
    assertEquals(List.of(RoleOption.CANCELQUERY), options(alter.options()));
    assertNull(alter.password());

    alter = ok("alter role if exists auditors nologin noviewactivity", SqlAlterUser.class);
    assertTrue(alter.isRole());
    assertTrue(alter.ifExists());
    assertEquals(List.of(RoleOption.NOLOGIN, RoleOption.NOVIEWACTIVITY),
        options(alter.options()));

    alter = ok("ALTER USER u WITH PASSWORD 'new'", SqlAlterUser.class);
    assertEquals("new", ((SqlLiteral) alter.password()).getValueAs(String.class));
    alter = ok("alter user u password null", SqlAlterUser.class);
    assertTrue(isNullLiteral(alter.password()));

    ok("alter user u viewactivity", "ALTER USER \"U\" WITH VIEWACTIVITY");
    ok("alter role if exists r with password 'x' login",
        "ALTER ROLE IF EXISTS \"R\" WITH PASSWORD 'x' LOGIN");
  }

  @Test void dropUser() {
    SqlDropUser drop = ok("DROP USER maxroach", SqlDropUser.class);
    assertFalse(drop.isRole());
    assertFalse(drop.ifExists());
    assertEquals(List.of("MAXROACH"), names(drop.names()));

    drop = ok("DROP ROLE IF EXISTS a, b", SqlDropUser.class);
    assertTrue(drop.isRole());
    assertTrue(drop.ifExists());
    assertEquals(List.of("A", "B"), names(drop.names()));

    drop = ok("drop user if exists alice, \"Bob\", carol", SqlDropUser.class);
    assertEquals(List.of("ALICE", "Bob", "CAROL"), names(drop.names()));
    ok("drop role r", "DROP ROLE \"R\"");
    ok("drop user if exists a,b", "DROP USER IF EXISTS \"A\", \"B\"");
  }

  @Test void grantAndRevokeRole() {
    SqlGrantRole grant = ok("GRANT admin TO maxroach", SqlGrantRole.class);
    assertTrue(grant.isGrant());
    assertEquals(List.of("ADMIN"), names(grant.roles()));
    assertEquals(List.of("MAXROACH"), names(grant.members()));

    grant = ok("grant a, b to c, d", SqlGrantRole.class);
    assertEquals(List.of("A", "B"), names(grant.roles()));
    assertEquals(List.of("C", "D"), names(grant.members()));

    SqlRevokeRole revoke = ok("REVOKE admin FROM maxroach", SqlRevokeRole.class);
    assertFalse(revoke.isGrant());
    assertEquals(List.of("ADMIN"), names(revoke.roles()));
    assertEquals(List.of("MAXROACH"), names(revoke.members()));

    revoke = ok("revoke viewers, auditors from alice, bob", SqlRevokeRole.class);
    assertEquals(List.of("VIEWERS", "AUDITORS"), names(revoke.roles()));
    assertEquals(List.of("ALICE", "BOB"), names(revoke.members()));

    ok("Grant r To u", "GRANT \"R\" TO \"U\"");
    ok("revoke r1,r2 from u", "REVOKE \"R1\", \"R2\" FROM \"U\"");
  }

  @Test void showUsersRolesGrants() {
    SqlShowUsers users = ok("SHOW USERS", SqlShowUsers.class);
    assertFalse(users.isRoles());
    users = ok("show roles", SqlShowUsers.class);
    assertTrue(users.isRoles());

    SqlShowGrants grants = ok("SHOW GRANTS", SqlShowGrants.class);
    assertNull(grants.members());
    grants = ok("show grants for maxroach", SqlShowGrants.class);
    assertEquals(List.of("MAXROACH"), names(grants.members()));
    grants = ok("Show Grants For a, b", SqlShowGrants.class);
    assertEquals(List.of("A", "B"), names(grants.members()));

    ok("show users", "SHOW USERS");
    ok("show roles", "SHOW ROLES");
    ok("show grants for u", "SHOW GRANTS FOR \"U\"");
  }

  @Test void showTables() {
    assertNull(ok("SHOW TABLES", SqlShowTables.class).schema());
    assertEquals(List.of("TPCH"), ok("show tables from tpch", SqlShowTables.class).schema().names);
    assertEquals(List.of("QUELL", "TPCH"),
        ok("Show Tables From quell.tpch", SqlShowTables.class).schema().names);

    ok("show tables", "SHOW TABLES");
    ok("show tables from \"My Schema\"", "SHOW TABLES FROM \"My Schema\"");
    // TABLES is a keyword only after SHOW: a table or a variable may still be called so.
    ok("select tables from tables", SqlSelect.class);
    ok("set tables = 1", SqlSetOption.class);
  }

  // ---------------------------------------------------------------------------------------
  // Session variables

  @Test void setVariable() {
    SqlSetOption set = ok("SET x = 1", SqlSetOption.class);
    assertName("X", set.getName());
    assertEquals(SqlKind.LITERAL, set.getValue().getKind());

    set = ok("SET x TO 'a'", SqlSetOption.class);
    assertName("X", set.getName());
    assertEquals("a", ((SqlLiteral) set.getValue()).getValueAs(String.class));

    set = ok("SET application_name = 'x'", SqlSetOption.class);
    assertName("APPLICATION_NAME", set.getName());
    assertEquals("x", ((SqlLiteral) set.getValue()).getValueAs(String.class));

    set = ok("set statement_timeout to 5000", SqlSetOption.class);
    assertName("STATEMENT_TIMEOUT", set.getName());
    set = ok("Set Idle_In_Session_Timeout To '10s'", SqlSetOption.class);
    assertName("IDLE_IN_SESSION_TIMEOUT", set.getName());
    set = ok("set application_name to quell", SqlSetOption.class);
    assertName("QUELL", set.getValue());
    set = ok("set x to on", SqlSetOption.class);
    assertName("ON", set.getValue());
    ok("set a.b to true", SqlSetOption.class);

    // TO and = give the same tree.
    assertTrue(parse("SET x TO 'a'").equalsDeep(parse("SET x = 'a'"), Litmus.THROW));
    ok("set application_name to 'bi'", "SET \"APPLICATION_NAME\" = 'bi'");
  }

  @Test void resetVariable() {
    SqlSetOption reset = ok("RESET x", SqlSetOption.class);
    assertName("X", reset.getName());
    assertNull(reset.getValue());
    reset = ok("reset application_name", SqlSetOption.class);
    assertName("APPLICATION_NAME", reset.getName());
    ok("RESET ALL", SqlSetOption.class);
  }

  @Test void showVariable() {
    SqlShowVariable show = ok("SHOW x", SqlShowVariable.class);
    assertName("X", show.name());
    show = ok("show application_name", SqlShowVariable.class);
    assertName("APPLICATION_NAME", show.name());
    show = ok("SHOW SESSION statement_timeout", SqlShowVariable.class);
    assertName("STATEMENT_TIMEOUT", show.name());
    show = ok("SHOW ALL", SqlShowVariable.class);
    assertNull(show.name());
    show = ok("show all", SqlShowVariable.class);
    assertNull(show.name());
    // A quoted name is a variable, even if it spells a keyword.
    show = ok("show \"SESSIONS\"", SqlShowVariable.class);
    assertName("SESSIONS", show.name());
    ok("show application_name", "SHOW \"APPLICATION_NAME\"");
    ok("show all", "SHOW ALL");
    // SESSION_USER is a reserved word, and a variable after SHOW.
    show = ok("SHOW session_user", SqlShowVariable.class);
    assertName("SESSION_USER", show.name());
    ok("show session_user", "SHOW SESSION_USER");
  }

  // ---------------------------------------------------------------------------------------
  // The round trip compares every flag

  /** Statements that differ only in a flag must not be equal, or round trips prove little. */
  @Test void treesDifferInEveryFlag() {
    final List<List<String>> groups = List.of(
        List.of("SHOW SESSIONS", "SHOW ALL SESSIONS", "SHOW LOCAL SESSIONS", "SHOW QUERIES",
            "SHOW ALL LOCAL QUERIES"),
        List.of("CANCEL SESSION 'a'", "CANCEL SESSION IF EXISTS 'a'", "CANCEL QUERY 'a'",
            "CANCEL QUERY IF EXISTS 'a'"),
        List.of("CANCEL SESSIONS SELECT a FROM t", "CANCEL SESSIONS IF EXISTS SELECT a FROM t",
            "CANCEL QUERIES SELECT a FROM t"),
        List.of("CREATE USER u", "CREATE ROLE u", "CREATE USER IF NOT EXISTS u",
            "CREATE OR REPLACE USER u", "CREATE USER u PASSWORD NULL", "CREATE USER u LOGIN"),
        List.of("ALTER USER u LOGIN", "ALTER ROLE u LOGIN", "ALTER USER IF EXISTS u LOGIN",
            "ALTER USER u NOLOGIN"),
        List.of("DROP USER a", "DROP ROLE a", "DROP USER IF EXISTS a", "DROP USER a, b"),
        List.of("GRANT a TO b", "REVOKE a FROM b", "GRANT b TO a"),
        List.of("SHOW USERS", "SHOW ROLES", "SHOW GRANTS", "SHOW GRANTS FOR a", "SHOW ALL",
            "SHOW a", "SHOW TABLES", "SHOW TABLES FROM a", "SHOW TABLES FROM b"));
    for (List<String> group : groups) {
      for (String a : group) {
        for (String b : group) {
          assertEquals(a.equals(b), parse(a).equalsDeep(parse(b), Litmus.IGNORE), a + " / " + b);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // The new keywords are non-reserved

  @Test void newKeywordsRemainIdentifiers() {
    final SqlSelect select = ok("select sessions, queries, cancel, users from t", SqlSelect.class);
    assertEquals(List.of("SESSIONS", "QUERIES", "CANCEL", "USERS"),
        names(select.getSelectList()));
    ok("select roles, grants, statements, cluster, query, password, login, nologin,"
        + " viewactivity, noviewactivity, viewactivityredacted, noviewactivityredacted,"
        + " cancelquery, nocancelquery from sessions as queries");
    ok("select * from users join roles on users.id = roles.id");
    ok("select cancel.sessions from cancel where cancel.query = 'x'");
    ok("with sessions as (select 1 as queries) select queries from sessions");
    ok("insert into users (cancel, sessions) values (1, 2)");
    ok("update queries set statements = 1 where cluster = 2");
    ok("select count(*) as sessions from queries group by users");
  }

  @Test void newKeywordsAsVariableNames() {
    // Names of session variables may be any of the new non-reserved words, too.
    ok("set cluster = 'main'", SqlSetOption.class);
    ok("set query to 'x'", SqlSetOption.class);
    ok("reset sessions", SqlSetOption.class);
  }

  // ---------------------------------------------------------------------------------------
  // What must not parse

  @Test void cancelWithoutTarget() {
    fails("CANCEL SESSION^");
    fails("CANCEL QUERY^");
    fails("cancel session if exists^");
    fails("CANCEL SESSIONS^");
    fails("CANCEL QUERIES IF EXISTS^");
  }

  @Test void cancelWithoutNoun() {
    // CANCEL is non-reserved, so unless SESSION(S) or QUER(Y|IES) follows, the statement is
    // read as an expression; Calcite rejects that at the start with its own message.
    for (String sql : List.of("CANCEL '1530fe0e46d2692e0000000000000001'",
        "CANCEL ALL SESSIONS", "cancel")) {
      final SqlParseException e = failsAnyhow(sql);
      assertNotNull(e.getPos(), sql);
      assertEquals("1:1", e.getPos().getLineNum() + ":" + e.getPos().getColumnNum(), sql);
      assertTrue(e.getMessage().contains("Non-query expression encountered in illegal context"),
          e.getMessage());
    }
  }

  @Test void cancelSessionTakesOneId() {
    fails("CANCEL SESSION 'x'^, 'y'");
    fails("CANCEL QUERY ^SELECT query_id FROM (SHOW QUERIES)");
  }

  @Test void cancelSessionsTakesAQuery() {
    fails("CANCEL SESSIONS ^'x' 'y'");
    fails("CANCEL SESSIONS ^'abc'");
    fails("CANCEL QUERIES ^?");
    fails("CANCEL SESSIONS IF EXISTS ^'abc'");
    fails("cancel sessions ^session_id");
    fails("CANCEL QUERIES ^1 + 1");
  }

  @Test void cancelSessionsParenthesizedNonQuery() {
    // In parentheses the parser reads an expression first and only then sees it is no
    // query, so the error is Calcite's own "non-query expression", at the expression.
    for (String sql : List.of("CANCEL SESSIONS ('abc')", "CANCEL QUERIES IF EXISTS ('a', 'b')")) {
      final SqlParseException e = failsAnyhow(sql);
      assertNotNull(e.getPos(), sql);
      assertTrue(e.getMessage().contains("Non-query expression encountered in illegal context"),
          e.getMessage());
    }
  }

  @Test void showWithoutNoun() {
    fails("SHOW SESSION^");
    fails("SHOW ALL ^CLUSTER");
    fails("SHOW ALL ^LOCAL");
    fails("SHOW ^LOCAL");
    fails("SHOW LOCAL SESSIONS ^QUERIES");
    fails("SHOW SESSIONS ^CLUSTER");
    fails("SHOW CLUSTER ^ALL SESSIONS");
    fails("SHOW^");
    fails("select * from (^show session)");
    fails("with x as (^show) select 1");
    fails("SHOW GRANTS FOR^");
    fails("SHOW USERS ^FOR u");
    fails("SHOW TABLES FROM^");
    fails("SHOW TABLES ^IN tpch");
    fails("SHOW SESSIONS ORDER ^LOCAL");
  }

  @Test void unknownRoleOption() {
    final SqlParseException e = fails("CREATE USER u WITH ^FLY");
    assertTrue(e.getMessage().startsWith("Encountered \"FLY\""), e.getMessage());
    assertTrue(e.getExpectedTokenNames().contains("\"VIEWACTIVITY\""),
        e.getExpectedTokenNames().toString());
    fails("CREATE USER u ^FLY");
    fails("ALTER ROLE r WITH LOGIN ^FLY");
    fails("CREATE USER u WITH VIEWACTIVITY^, CANCELQUERY");
    fails("CREATE USER u PASSWORD ^123");
    fails("CREATE USER u PASSWORD^");
    fails("ALTER USER u WITH PASSWORD ^u");
  }

  @Test void conflictingRoleOptions() {
    // As in CockroachDB and PostgreSQL, an option may not be given twice, either way.
    for (String sql : List.of(
        "CREATE USER u PASSWORD 'a' ^PASSWORD 'b'",
        "create user u with password null viewactivity ^password 'x'",
        "CREATE USER u VIEWACTIVITY ^NOVIEWACTIVITY",
        "CREATE ROLE r WITH LOGIN CANCELQUERY ^LOGIN",
        "ALTER USER u NOVIEWACTIVITYREDACTED ^VIEWACTIVITYREDACTED",
        "alter role r nocancelquery ^nocancelquery")) {
      final int caret = sql.indexOf('^');
      final SqlParseException e = failsAnyhow(sql.replace("^", ""));
      assertTrue(e.getMessage().contains("Conflicting role options"), e.getMessage());
      assertNotNull(e.getPos(), sql);
      assertEquals(1, e.getPos().getLineNum());
      assertEquals(caret + 1, e.getPos().getColumnNum(), sql);
    }
    // Different flags are no conflict.
    ok("CREATE USER u VIEWACTIVITY VIEWACTIVITYREDACTED NOCANCELQUERY LOGIN PASSWORD 'p'");
  }

  @Test void malformedUserStatements() {
    fails("CREATE USER^");
    fails("CREATE USER IF NOT EXISTS^");
    fails("CREATE USER ^'u'");
    fails("CREATE USER a^, b");
    fails("ALTER USER^");
    // ALTER needs an option, CREATE does not.
    fails("ALTER USER u^");
    fails("ALTER ROLE IF EXISTS r WITH^");
    fails("DROP USER^");
    fails("DROP USER a,^");
    fails("DROP ROLE IF EXISTS^");
    fails("GRANT r^");
    fails("GRANT r TO^");
    fails("REVOKE r ^TO u");
    fails("GRANT r ^FROM u");
    fails("SET x TO^");
    fails("RESET^");
  }
}
