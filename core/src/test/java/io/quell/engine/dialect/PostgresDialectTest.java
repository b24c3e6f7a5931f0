package io.quell.engine.dialect;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineFixture;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL that users and tools type, on a real node through its embedded front end
 * ({@code jdbc:quell:embedded:} connects as {@link io.quell.frontend.QuellNode#connect} does);
 * {@code jdbc:quell://} and pgwire run the same engine connection. Each case checks what a
 * client sees: values, types, SHOW's answers and the SQLSTATE of what is refused.
 */
@Timeout(180)
class PostgresDialectTest {
  @TempDir static Path dir;
  private static EngineFixture node;

  @BeforeAll static void start() throws Exception {
    node = new EngineFixture(dir, 0.01);
    update(node.connect("root"), "CREATE USER analyst WITH PASSWORD 'analyst-secret'");
  }

  @AfterAll static void stop() {
    node.close();
  }

  private static Connection connect() throws SQLException {
    return node.connect("root");
  }

  private static Connection connect(String user) throws SQLException {
    return node.connect(user);
  }

  private static Object value(Connection c, String sql) throws SQLException {
    return column(c, sql).get(0);
  }

  /** The JDBC type of each column of {@code sql}'s result. */
  private static List<Integer> types(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Integer> types = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        types.add(md.getColumnType(i));
      }
      return types;
    }
  }

  @Test
  void operators() throws Exception {
    Connection c = connect();
    assertEquals(1, value(c, "SELECT 7 % 3"));
    assertEquals(true, value(c, "SELECT 1 != 2"));
    assertEquals(List.of(true, true, false, false),
        rows(c, "SELECT 'abc' ~ 'b', 'abc' ~* 'B', 'abc' !~ 'b', 'abc' !~* 'B'").get(0));
    assertEquals(List.of(true, false),
        rows(c, "SELECT 'abc' ILIKE 'A%', 'abc' NOT ILIKE 'A%'").get(0));
    assertEquals(List.of("MOROCCO", "MOZAMBIQUE"), column(c,
        "SELECT n_name FROM nation WHERE n_name OPERATOR(pg_catalog.~) '^MO'"
            + " COLLATE pg_catalog.default ORDER BY 1"));
    assertEquals(List.of("PERU"), column(c, "SELECT n_name FROM nation"
        + " WHERE n_name OPERATOR(pg_catalog.=) 'PERU' COLLATE \"C\""));
    assertEquals(List.of("IRAN", "PERU"), column(c,
        "SELECT n_name FROM nation WHERE n_name = ANY(ARRAY['PERU', 'IRAN']) ORDER BY 1"));
  }

  @Test
  void limitAndOffsetInEitherOrder() throws Exception {
    Connection c = connect();
    List<Object> third = List.of("BRAZIL", "CANADA");
    assertEquals(third, column(c, "SELECT n_name FROM nation ORDER BY 1 LIMIT 2 OFFSET 2"));
    assertEquals(third, column(c, "SELECT n_name FROM nation ORDER BY 1 OFFSET 2 LIMIT 2"));
    assertEquals(23, column(c, "SELECT n_name FROM nation ORDER BY 1 OFFSET 2").size());
    assertEquals(25, column(c, "SELECT n_name FROM nation ORDER BY 1 LIMIT ALL").size());
  }

  @Test
  void casts() throws Exception {
    Connection c = connect();
    assertEquals(2, value(c, "SELECT '1'::int + 1"));
    assertEquals(List.of(-1, "ab", new BigDecimal("1.50"), 7L),
        rows(c, "SELECT -1::int, 'abc'::text::varchar(2), 1.5::numeric(10,2),"
            + " '7'::pg_catalog.int8").get(0));
    assertEquals(List.of(Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL,
        Types.DOUBLE, Types.BOOLEAN, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.CHAR,
        Types.INTEGER, Types.INTEGER, Types.TIMESTAMP, Types.DECIMAL, Types.VARCHAR),
        types(c, "SELECT 1::int2, 1::int4, 1::int8, 1::float4, 1::float8, 'true'::bool,"
            + " 'a'::text, 'a'::bpchar, 'a'::name, 'a'::\"char\", 1::oid, 1::regclass,"
            + " TIMESTAMP '2024-01-01 00:00:00'::timestamptz, 1::numeric,"
            + " 'a'::pg_catalog.text"));
    assertEquals("x", value(c, "SELECT COALESCE(NULL::text, 'x')"));
    assertEquals(List.of(1, 2), rows(c,
        "SELECT CARDINALITY(ARRAY['a']::text[]), CARDINALITY(ARRAY[1, 2]::int4[])").get(0));
    // A cast to no type, and of text that is no value of the type.
    failsWith("42704", () -> rows(c, "SELECT 'x'::money"));
    failsWith("42704", () -> rows(c, "SELECT CAST('x' AS public.text)"));
    String message = failsWith("22P02", () -> rows(c, "SELECT 'abc'::int"));
    assertTrue(message.contains("abc"), message);
    failsWith("22007", () -> rows(c, "SELECT 'someday'::date"));
  }

  @Test
  void functions() throws Exception {
    Connection c = connect();
    Timestamp before = Timestamp.valueOf(LocalDateTime.now().minusMinutes(1));
    Timestamp now = (Timestamp) value(c, "SELECT now()");
    assertTrue(now.after(before), now + " is now");
    assertEquals(true, value(c, "SELECT now() = CURRENT_TIMESTAMP"));
    String version = (String) value(c, "SELECT version()");
    assertTrue(version.startsWith("PostgreSQL 13.0.0 on Quell 0.1.0"), version);
    assertEquals(List.of("quell", "tpch", "tpch"),
        rows(c, "SELECT current_database(), current_schema(), current_schema").get(0));
    assertEquals(List.of(Types.VARCHAR, Types.VARCHAR),
        types(c, "SELECT version(), current_database()"));
    // Built-ins by their pg_catalog names, reserved words too.
    assertEquals(List.of("abc", "ABC", "quell"), rows(c, "SELECT pg_catalog.lower('ABC'),"
        + " pg_catalog.upper('abc'), pg_catalog.current_database()").get(0));
    assertEquals(List.of(3, 0), rows(c, "SELECT array_length(ARRAY[1, 2, 3], 1),"
        + " COALESCE(array_length(ARRAY[1], 2), 0)").get(0));
    assertEquals(List.of(2024L, 2024L), rows(c, "SELECT EXTRACT(YEAR FROM TIMESTAMP"
        + " '2024-05-06 10:11:12'), date_part('year', TIMESTAMP '2024-05-06 10:11:12')")
        .get(0));
    assertEquals("ALGERIA, ETHIOPIA, KENYA, MOROCCO, MOZAMBIQUE", value(c,
        "SELECT string_agg(n_name, ', ' ORDER BY n_name) FROM nation WHERE n_regionkey = 0"));
    assertEquals("ALGERIA", value(c, "SELECT pg_catalog.string_agg(n_name, ';') FROM nation"
        + " WHERE n_nationkey = 0"));
    failsWith("42000", () -> rows(c, "SELECT no_such_function(1)"));
    failsWith("42000", () -> rows(c, "SELECT now(1)"));
  }

  @Test
  void dateTrunc() throws Exception {
    Connection c = connect();
    Map<String, String> expected = Map.of(
        "second", "2024-05-08 10:11:12.0", "minute", "2024-05-08 10:11:00.0",
        "hour", "2024-05-08 10:00:00.0", "day", "2024-05-08 00:00:00.0",
        // PostgreSQL's weeks start on Monday: 2024-05-08 is a Wednesday.
        "week", "2024-05-06 00:00:00.0", "month", "2024-05-01 00:00:00.0",
        "quarter", "2024-04-01 00:00:00.0", "year", "2024-01-01 00:00:00.0",
        "decade", "2020-01-01 00:00:00.0", "century", "2001-01-01 00:00:00.0");
    for (Map.Entry<String, String> unit : expected.entrySet()) {
      assertEquals(unit.getValue(), value(c, "SELECT date_trunc('" + unit.getKey()
          + "', TIMESTAMP '2024-05-08 10:11:12.345')").toString(), unit.getKey());
    }
    assertEquals(Timestamp.valueOf("2024-05-01 00:00:00"),
        value(c, "SELECT date_trunc('month', TIMESTAMP '2024-05-06 10:11:12')"));
    // A date becomes a timestamp, as in PostgreSQL; units may be plural and in any case.
    assertEquals(Timestamp.valueOf("2024-01-01 00:00:00"),
        value(c, "SELECT date_trunc('YEARS', DATE '2024-05-06')"));
    assertEquals(Timestamp.valueOf("2024-05-01 00:00:00"),
        value(c, "SELECT pg_catalog.date_trunc('month', TIMESTAMP '2024-05-06 10:11:12')"));
    assertEquals(List.of(Timestamp.valueOf("1992-01-01 00:00:00"),
        Timestamp.valueOf("1992-02-01 00:00:00")), column(c, "SELECT date_trunc('month',"
        + " o_orderdate) AS m, COUNT(*) FROM orders WHERE o_orderdate < DATE '1992-03-01'"
        + " GROUP BY 1 ORDER BY 1"));
    String message = failsWith("22023",
        () -> rows(c, "SELECT date_trunc('fortnight', TIMESTAMP '2024-05-08 10:11:12')"));
    assertTrue(message.contains("fortnight"), message);
  }

  @Test
  void groupByOrdinalAndAlias() throws Exception {
    Connection c = connect();
    assertEquals(List.of(List.of(0L, 5L), List.of(1L, 5L)), rows(c, "SELECT n_regionkey,"
        + " COUNT(*) FROM nation GROUP BY 1 ORDER BY 1 LIMIT 2"));
    assertEquals(List.of(List.of(0L, 5L)), rows(c, "SELECT n_regionkey AS region, COUNT(*)"
        + " FROM nation GROUP BY region ORDER BY region LIMIT 1"));
    // A column of the FROM clause wins over an alias of the same name, as in PostgreSQL.
    assertEquals(25, rows(c, "SELECT n_regionkey AS n_name FROM nation GROUP BY n_name,"
        + " n_regionkey").size());
  }

  @Test
  void settingsAsFunctions() throws Exception {
    Connection c = connect();
    assertEquals(List.of("13.0.0", "130000"), rows(c, "SELECT current_setting('server_version'),"
        + " current_setting('SERVER_VERSION_NUM')").get(0));
    // Grafana's query of the server version.
    assertEquals(1300, value(c, "SELECT current_setting('server_version_num')::int/100"));
    String message = failsWith("42704", () -> rows(c, "SELECT current_setting('nope')"));
    assertTrue(message.contains("nope"), message);
    assertNull(value(c, "SELECT current_setting('nope', true)"));
    // The same text, planned once, reads the variable as it is when it runs.
    String timeout = "SELECT current_setting('statement_timeout')";
    assertEquals("0", value(c, timeout));
    update(c, "SET statement_timeout = '5s'");
    assertEquals("5s", value(c, timeout));
    assertEquals("0", value(connect(), timeout), "another session's own value");
    assertEquals(List.of("7s", "7s"), rows(c, "SELECT set_config('statement_timeout', '7000',"
        + " false), current_setting('statement_timeout')").get(0));
    assertEquals("7s", value(c, "SHOW statement_timeout"));
    // A transaction's setting ends with the statement, Quell's transaction.
    assertEquals("bi", value(c, "SELECT set_config('application_name', 'bi', true)"));
    assertEquals("", value(c, "SHOW application_name"));
    failsWith("55P02", () -> rows(c, "SELECT set_config('server_version', '14', false)"));
    failsWith("22023", () -> rows(c, "SELECT set_config('TimeZone', 'Mars/Base', false)"));
  }

  @Test
  void postgresVariables() throws Exception {
    Connection c = connect();
    Map<String, String> shown = Map.ofEntries(Map.entry("server_version", "13.0.0"),
        Map.entry("server_version_num", "130000"), Map.entry("server_encoding", "UTF8"),
        Map.entry("client_encoding", "UTF8"), Map.entry("datestyle", "ISO, MDY"),
        Map.entry("timezone", "UTC"), Map.entry("integer_datetimes", "on"),
        Map.entry("standard_conforming_strings", "on"), Map.entry("intervalstyle", "postgres"),
        Map.entry("extra_float_digits", "1"), Map.entry("search_path", "tpch"),
        Map.entry("transaction_isolation", "read committed"),
        Map.entry("default_transaction_isolation", "read committed"),
        Map.entry("is_superuser", "on"));
    for (Map.Entry<String, String> variable : shown.entrySet()) {
      assertEquals(variable.getValue(), value(c, "SHOW " + variable.getKey()),
          variable.getKey());
    }
    assertEquals("off", value(connect("analyst"),
        "SHOW is_superuser"));
    assertEquals("read committed", value(c, "SHOW TRANSACTION ISOLATION LEVEL"));
    assertEquals("UTC", value(c, "SHOW TIME ZONE"));
    // PostgreSQL's spelling of names, in SHOW's column and SHOW ALL's rows.
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW timezone")) {
      assertEquals("TimeZone", rs.getMetaData().getColumnLabel(1));
    }
    List<Object> names = column(c, "SHOW ALL");
    assertTrue(names.containsAll(List.of("DateStyle", "IntervalStyle", "TimeZone",
        "server_version", "client_encoding")), names.toString());
  }

  /** What clients set at startup, and what other PostgreSQL SETs look like. */
  @Test
  void setPostgresVariables() throws Exception {
    Connection c = connect();
    update(c, "SET client_encoding TO 'unicode'");
    update(c, "SET DateStyle = ISO");
    update(c, "SET datestyle TO 'iso, dmy'");
    assertEquals("ISO, DMY", value(c, "SHOW DateStyle"));
    update(c, "SET TIME ZONE 'europe/berlin'");
    assertEquals("Europe/Berlin", value(c, "SHOW timezone"));
    update(c, "SET TimeZone = 'GMT+01:00'");
    assertEquals("GMT+01:00", value(c, "SHOW timezone"));
    update(c, "SET client_encoding = 'SQL_ASCII'");
    assertEquals("UTF8", value(c, "SHOW client_encoding"));
    update(c, "SET SESSION timezone TO DEFAULT");
    assertEquals("UTC", value(c, "SHOW timezone"));
    update(c, "SET extra_float_digits = 3");
    assertEquals("3", value(c, "SHOW extra_float_digits"));
    update(c, "SET standard_conforming_strings = on");
    update(c, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
    update(c, "SET application_name TO 'psql'");
    assertEquals("psql", value(c, "SHOW application_name"));
    // What would change what Quell does is refused, naming what it supports.
    String message = failsWith("22023", () -> update(c, "SET client_encoding = 'LATIN1'"));
    assertTrue(message.contains("UTF8"), message);
    failsWith("22023", () -> update(c, "SET DateStyle = 'German'"));
    failsWith("22023", () -> update(c, "SET TIME ZONE 'Mars/Base'"));
    failsWith("22023", () -> update(c, "SET extra_float_digits = 4"));
    failsWith("22023", () -> update(c, "SET standard_conforming_strings = off"));
    failsWith("22023", () -> update(c,
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
    failsWith("55P02", () -> update(c, "SET server_version = '14'"));
    failsWith("55P02", () -> update(c, "SET is_superuser = on"));
    failsWith("42704", () -> update(c, "SET no_such_variable = 1"));
    // Refused settings changed nothing.
    assertEquals(List.of("UTF8", "ISO, DMY", "UTC", "3", "read committed"), rows(c,
        "SELECT current_setting('client_encoding'), current_setting('DateStyle'),"
            + " current_setting('TimeZone'), current_setting('extra_float_digits'),"
            + " current_setting('default_transaction_isolation')").get(0));
    update(c, "RESET ALL");
    assertEquals("ISO, MDY", value(c, "SHOW DateStyle"));
    assertEquals("", value(c, "SHOW application_name"));
  }

  @Test
  void searchPathIsTheDefaultSchema() throws Exception {
    Connection c = connect();
    update(c, "SET search_path TO \"$user\", quell_internal, tpch");
    assertEquals("\"$user\", quell_internal, tpch", value(c, "SHOW search_path"));
    assertEquals("quell_internal", value(c, "SELECT current_schema()"));
    assertEquals(1L, value(c, "SELECT COUNT(*) FROM plan_cache"));
    failsWith("42000", () -> rows(c, "SELECT COUNT(*) FROM nation"));
    assertEquals(25L, value(c, "SELECT COUNT(*) FROM tpch.nation"));
    update(c, "RESET search_path");
    assertEquals(List.of("tpch", 25L), rows(c, "SELECT current_schema, COUNT(*) FROM nation")
        .get(0));
    assertEquals("QUELL_INTERNAL",
        value(c, "SELECT set_config('search_path', 'QUELL_INTERNAL', false)"));
    assertEquals("quell_internal", value(c, "SELECT current_schema"));
  }

  /** A user's default search path, ALTER ROLE ... SET, is the session's default schema. */
  @Test void roleDefaultSearchPath() throws Exception {
    Connection root = connect();
    update(root, "CREATE USER pathfinder WITH PASSWORD 'path-secret'");
    update(root, "ALTER ROLE pathfinder SET search_path = quell_internal");
    Connection c = connect("pathfinder");
    assertEquals("quell_internal", value(c, "SELECT current_schema()"));
    update(c, "RESET search_path");
    assertEquals("quell_internal", value(c, "SELECT current_schema()"));
  }

  /**
   * A text cast to regclass is the OID of the table it names, as the catalog's input function
   * of that name ({@code regclass(text)}) finds it, the same as {@code pg_class} shows; a
   * number cast to it is that number.
   */
  @Test void regclassOfTextIsTheCatalogsLookup() throws Exception {
    Connection c = connect();
    assertEquals(16385, value(c, "SELECT 16385::pg_catalog.regclass"));
    List<Object> oids = rows(c, "SELECT (SELECT oid FROM pg_catalog.pg_class WHERE relname = "
        + "'lineitem'), (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'nation')").get(0);
    assertEquals(oids, rows(c,
        "SELECT 'lineitem'::regclass, CAST('nation' || '' AS pg_catalog.regclass)").get(0));
    assertFalse(rows(c, "SELECT n_name FROM nation WHERE n_nationkey::regclass = 3").isEmpty());
  }

  /**
   * The string labels of a CASE keep their own lengths, as PostgreSQL's text does, instead of
   * Calcite's CHAR padding to the longest: psql's \dt compares no blanks.
   */
  @Test void caseOfStringsIsNotPadded() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("view", "table"), column(c, "SELECT CASE WHEN n_nationkey = 0 "
          + "THEN 'view' ELSE 'table' END FROM nation WHERE n_nationkey < 2 "
          + "ORDER BY n_nationkey"));
      assertEquals(List.of("a", "bcd"), column(c, "SELECT 'a' UNION ALL SELECT 'bcd'"));
    }
  }

  /** PostgreSQL's array literals where an array is compared, as psql's \d sends them. */
  @Test void arrayLiteralsCompareWithArrays() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(true, true, false, true), rows(c, "SELECT ARRAY[1,2] = '{1,2}', "
          + "ARRAY['a b','c'] = '{\"a b\", c}', ARRAY[1] = '{2}', '{3}' = ARRAY[3]").get(0));
      assertEquals(List.of(0L), column(c,
          "SELECT count(*) FROM pg_catalog.pg_policy WHERE polroles = '{0}'"));
      assertEquals(List.of(0L), column(c,
          "SELECT count(*) FROM pg_catalog.pg_statistic_ext WHERE 'd' = ANY (stxkind)"));
      failsWith("42000", () -> rows(c, "SELECT ARRAY[1] = '{}'"));
      failsWith("42000", () -> rows(c, "SELECT ARRAY[1] = '{1'"));
    }
  }

  /** PostgreSQL does not reserve member and result; its catalog and clients use them. */
  @Test void memberAndResultAreNames() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(List.of(1, 2)), rows(c,
          "SELECT result.member, result.\"result\" FROM (SELECT 1 AS member, 2 AS result) result"));
    }
  }

  /** Any word after a dot and after AS in a select list, as PostgreSQL's ColLabel. */
  @Test void reservedWordsAsLabels() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(List.of(1, 2, 3)), rows(c, "SELECT t.table, t.select, t.cardinality "
          + "FROM (SELECT 1 AS table, 2 AS select, 3 AS cardinality) t"));
      failsWith("42601", () -> rows(c, "SELECT 1 table"));
    }
  }

  /** Set-returning functions in a select list, one row per value, as PostgreSQL 10 and on. */
  @Test void setReturningFunctionsInTheSelectList() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(1, 2, 3), column(c, "SELECT generate_series(1, 3)"));
      assertEquals(List.of(List.of(10, "x"), List.of(20, "x")),
          rows(c, "SELECT generate_series(10, 20, 10), 'x'"));
      // Per row of FROM, none for an empty series; the column named after the function.
      assertEquals(List.of(List.of(1L, 1), List.of(2L, 1), List.of(2L, 2)), rows(c,
          "SELECT n_regionkey, generate_series(1, n_regionkey) FROM nation "
          + "WHERE n_nationkey IN (0, 1, 9) ORDER BY 1, 2"));
      assertEquals("generate_series", labels(c, "SELECT generate_series(1, 2)").get(0));
      // pgjdbc's getPrimaryKeys: the record and its fields, read again outside.
      assertEquals(List.of(List.of(7, 1), List.of(8, 2)), rows(c, "SELECT (r.keys).x, r.k FROM "
          + "(SELECT (information_schema._pg_expandarray(ARRAY[7, 8])).n AS k, "
          + "information_schema._pg_expandarray(ARRAY[7, 8]) AS keys) r "
          + "WHERE r.k = (r.keys).n ORDER BY 2"));
      failsWith("0A000", () -> rows(c, "SELECT generate_series(1, 2), generate_series(1, 3)"));
      failsWith("0A000", () -> rows(c,
          "SELECT generate_series(1, 2) FROM nation GROUP BY n_regionkey"));
    }
  }

  /** Functions in FROM: a series named by its alias, any other function a one-row table. */
  @Test void functionsInFrom() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(2, 3), column(c,
          "SELECT i FROM generate_series(abs(-1), 3) AS i WHERE i > 1"));
      assertEquals(List.of(List.of("b", 2)), rows(c, "SELECT trim(s[i]), i FROM "
          + "generate_series(array_lower(string_to_array('a,b', ','), 1), 2) AS i, "
          + "string_to_array('a, b', ',') s WHERE i = 2"));
      assertEquals(List.of("\"A b\""), column(c, "SELECT u FROM quote_ident('A b') AS u"));
      assertEquals(List.of("tpch"), column(c, "SELECT p FROM current_setting('search_path') p"));
      assertEquals(List.of(List.of(3, 1), List.of(4, 2)), rows(c,
          "SELECT e.x, e.n FROM information_schema._pg_expandarray(ARRAY[3, 4]) e"));
    }
  }

  /** E'' and U&'' strings join and compare with any other text, as psql's \\dp writes. */
  @Test void escapedStringsAreText() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("ALGERIA:\n  x", "data"), rows(c, "SELECT n_name || E':\\n  ' || 'x', "
          + "U&'d\\0061t\\0061' FROM nation WHERE n_name = E'ALGERIA'").get(0));
    }
  }

  /** PostgreSQL's array text cast to an array type, as pgjdbc's getSQLKeywords sends it. */
  @Test void arrayTextCastToArrays() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(List.of("a", "b"), List.of(1, 2), 0, true, Arrays.asList("x y", null)),
          rows(c, "SELECT '{a,b}'::text[], CAST('{1, 2}' AS INTEGER ARRAY), "
          + "cardinality('{}'::int[]), 'x' <> ALL ('{a,b}'::text[]), "
          + "'{\"x y\",NULL}'::varchar[]").get(0).stream().map(PostgresDialectTest::plain)
          .toList());
      failsWith("22P02", () -> rows(c, "SELECT '{1'::int[]"));
      assertEquals(List.of(List.of("cancel", "U"), List.of("table", "R")), rows(c,
          "SELECT word, catcode FROM pg_catalog.pg_get_keywords() "
          + "WHERE word IN ('table', 'cancel') ORDER BY word"));
    }
  }

  /** Timestamps in the text forms programs send: ISO 8601's T, no seconds, a date, an offset. */
  @Test void timestampText() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(Timestamp.valueOf("2024-01-02 03:04:05"),
          Timestamp.valueOf("2024-01-02 03:04:00"), Timestamp.valueOf("2024-01-02 00:00:00"),
          Timestamp.valueOf("2024-01-02 03:04:05.123"), Timestamp.valueOf("2024-01-02 03:04:05")),
          rows(c, "SELECT '2024-01-02T03:04:05'::timestamp, CAST('2024-01-02 03:04' AS TIMESTAMP), "
          + "'2024-01-02'::timestamp, '2024-01-02T03:04:05.123+02:00'::timestamptz, "
          + "'2024-01-02 03:04:05Z'::timestamp").get(0));
      assertEquals(List.of(2L), column(c, "SELECT count(*) FROM (VALUES ('2024-01-02T10:00'), "
          + "('2024-01-03 11:00:00')) AS t(x) WHERE CAST(x AS TIMESTAMP) > '2024-01-01T00:00'"));
      failsWith("22007", () -> rows(c, "SELECT 'garbage'::timestamp"));
    }
  }

  /** Functions psql's \\dt+ and \\l+ and PostgreSQL users call beside the catalog's. */
  @Test void sizeQuotingAndClockFunctions() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("0 bytes", "10239 bytes", "10 kB", "1500 kB", "10 GB", "0 bytes"),
          rows(c, "SELECT pg_size_pretty(CAST(0 AS BIGINT)), "
          + "pg_size_pretty(CAST(10239 AS BIGINT)), pg_size_pretty(CAST(10240 AS BIGINT)), "
          + "pg_size_pretty(CAST(1536000 AS BIGINT)), "
          + "pg_size_pretty(CAST(10737418240 AS BIGINT)), "
          + "pg_size_pretty(pg_total_relation_size('tpch.nation'))").get(0));
      assertEquals(Arrays.asList("'it''s'", "E'a\\\\b'", "NULL", null, 36, "UTF8", true),
          rows(c, "SELECT quote_literal('it''s'), quote_literal('a\\b'), "
          + "quote_nullable(CAST(NULL AS VARCHAR)), quote_literal(CAST(NULL AS VARCHAR)), "
          + "char_length(gen_random_uuid()), getdatabaseencoding(), "
          + "has_database_privilege('quell', 'CONNECT')").get(0));
      assertEquals(List.of(true, true), rows(c, "SELECT clock_timestamp() = "
          + "statement_timestamp(), transaction_timestamp() = now()").get(0));
      failsWith("3D000", () -> rows(c, "SELECT has_database_privilege('other', 'connect')"));
      failsWith("22023", () -> rows(c, "SELECT has_database_privilege('quell', 'fly')"));
    }
  }

  /** Unnamed result columns are named as PostgreSQL names them, not EXPR$n. */
  @Test void unnamedColumnsArePostgresNamed() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("?column?", "count", "coalesce", "case", "int4", "text",
          "n_regionkey", "lower", "n_name"), labels(c, "SELECT 'x', count(*), "
          + "coalesce(NULL, 1), CASE WHEN true THEN 1 END, '1'::int, 1::text, "
          + "CAST(n_regionkey AS INTEGER), lower(n_name), n_name FROM nation "
          + "GROUP BY n_name, n_regionkey"));
      // A second column of a label keeps Calcite's name: ORDER BY 2 stays unambiguous.
      assertEquals(List.of("count", "EXPR$1"), labels(c,
          "SELECT count(*), count(*) FROM nation ORDER BY 2"));
      assertEquals(List.of("?column?", "EXPR$1"), labels(c, "SELECT 1, 1 + 1 ORDER BY 1"));
      // A name another column has stays Calcite's, so ORDER BY n_name is not made ambiguous.
      assertEquals("n_name", labels(c, "SELECT n_name::text, n_name FROM nation "
          + "ORDER BY n_name").get(1));
      // Sub-queries keep Calcite's names, which SQL may refer to.
      assertEquals(List.of(25L), column(c, "SELECT t.EXPR$0 FROM (SELECT count(*) FROM nation) t"));
    }
  }

  /** pg_typeof names the PostgreSQL type of its argument, as format_type does. */
  @Test void pgTypeofNamesTheType() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("integer", "character varying", "numeric", "bigint", "boolean",
          "date", "timestamp without time zone"), rows(c, "SELECT pg_typeof(1), "
          + "pg_typeof(n_name), pg_typeof(1.5), pg_typeof(n_nationkey), pg_typeof(true), "
          + "pg_typeof(CURRENT_DATE), pg_typeof(now()) FROM nation LIMIT 1").get(0));
    }
  }

  /** A date plus or minus an integer is that many days later or earlier. */
  @Test void dateArithmeticInDays() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("2024-02-29", "2024-03-31", "2024-03-03", "2024-02-27"),
          rows(c, "SELECT DATE '2024-03-01' - 1, DATE '2024-03-01' + 30, "
          + "2 + DATE '2024-03-01', DATE '2024-03-01' - n_nationkey FROM nation "
          + "WHERE n_nationkey = 3").get(0).stream().map(String::valueOf).toList());
      assertEquals(List.of(true), column(c, "SELECT CURRENT_DATE - 7 < CURRENT_DATE"));
    }
  }

  /** A series to the last integer ends there rather than wrapping around. */
  @Test void seriesEndsAtTheLastInteger() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of(2147483646, 2147483647),
          column(c, "SELECT * FROM generate_series(2147483646, 2147483647)"));
      assertEquals(List.of(-2147483647, -2147483648),
          column(c, "SELECT * FROM generate_series(-2147483647, -2147483648, -1)"));
    }
  }

  /** A JDBC array as the list of its elements, other values as they are. */
  private static Object plain(Object value) {
    try {
      if (!(value instanceof java.sql.Array array)) {
        return value;
      }
      Object elements = array.getArray();
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < java.lang.reflect.Array.getLength(elements); i++) {
        list.add(java.lang.reflect.Array.get(elements, i));
      }
      return list;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test void formatAndParseIdent() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("tpch.\"Line Item\"", "1-", "'it''s'", "b a", "[    x|y    ]",
          "100%"), rows(c, "SELECT format('%I.%I', 'tpch', 'Line Item'), format('%s-%s', 1, "
          + "NULL), format('%L', 'it''s'), format('%2$s %1$s', 'a', 'b'), "
          + "format('[%5s|%-5s]', 'x', 'y'), format('100%%')").get(0));
      assertNull(value(c, "SELECT format(NULL, 'a')"));
      failsWith("22004", () -> rows(c, "SELECT format('%I', NULL)"));
      failsWith("22023", () -> rows(c, "SELECT format('%s %s', 'a')"));
      failsWith("22023", () -> rows(c, "SELECT format('%x', 'a')"));
      assertEquals(List.of("SomeSchema", "sometable", 2), rows(c,
          "SELECT (parse_ident('\"SomeSchema\".someTable'))[1], "
          + "(parse_ident(' \"SomeSchema\" . someTable '))[2], "
          + "array_length(parse_ident('a.b junk', false), 1)").get(0));
      failsWith("22023", () -> rows(c, "SELECT parse_ident('a..b')"));
      failsWith("22023", () -> rows(c, "SELECT parse_ident('a.b junk')"));
    }
  }

  private static List<String> labels(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        labels.add(rs.getMetaData().getColumnLabel(i));
      }
      return labels;
    }
  }
}
