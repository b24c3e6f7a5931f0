package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.postgresql.PGConnection;
import org.postgresql.PGResultSetMetaData;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * pgjdbc, PostgreSQL's own JDBC driver, against a Quell server's PostgreSQL port: login,
 * the simple and extended protocols, text and binary values, fetching in a transaction,
 * errors, PostgreSQL's cancel, and the session as SHOW SESSIONS lists it.
 */
@Timeout(180)
class PgJdbcTest {
  @TempDir static Path dir;
  private static PgWireServer server;

  @BeforeAll static void start() throws Exception {
    server = PgWireServer.start(dir.resolve("data"));
    server.admin("CREATE USER alice WITH PASSWORD 'alice-pw'");
    server.admin("CREATE ROLE auditor WITH PASSWORD 'auditor-pw'");
  }

  @AfterAll static void stop() {
    server.close();
  }

  private static SQLException fails(String sqlState, ThrowingRunnable body) {
    SQLException e = assertThrows(SQLException.class, body::run);
    assertEquals(sqlState, e.getSQLState(), e.getMessage());
    return e;
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  // --- login -----------------------------------------------------------------------------------

  @Test void usersLogInWithScramAndWrongPasswordsOrUnknownUsersAreRefused() throws Exception {
    try (Connection c = server.connect("alice", "alice-pw")) {
      assertEquals(List.of(List.of("alice")), rows(c, "SHOW session_user"));
      assertTrue(c.isValid(5), "a pool's check of the connection (an empty query)");
    }
    SQLException wrong = fails("28P01", () -> server.connect("alice", "nope").close());
    assertTrue(wrong.getMessage().contains("password authentication failed for user \"alice\""),
        wrong.getMessage());
    SQLException nobody = fails("28P01", () -> server.connect("nobody", "nope").close());
    assertTrue(nobody.getMessage().contains("password authentication failed for user "
        + "\"nobody\""), nobody.getMessage());
    SQLException noLogin = fails("28000", () -> server.connect("auditor", "auditor-pw").close());
    assertTrue(noLogin.getMessage().contains("role \"auditor\" is not permitted to log in"),
        noLogin.getMessage());
    // The node principal logs in nowhere but between cluster members.
    fails("28P01", () -> server.connect("$ node", "anything").close());
  }

  @Test void failedLoginsCountInTheThrottleEveryDoorShares() throws Exception {
    server.admin("CREATE USER carol WITH PASSWORD 'carol-pw'");
    for (int i = 0; i < 5; i++) {
      String guess = "wrong-" + i;
      fails("28P01", () -> server.connect("carol", guess).close());
    }
    // Five guesses over PostgreSQL's protocol: HTTP now makes carol from here wait, and
    // refuses even the right password until the window has passed.
    assertEquals(401, overHttp("carol", "carol-pw"));
    Thread.sleep(1100);
    try (Connection c = server.connect("carol", "carol-pw")) {
      assertEquals(List.of(List.of("carol")), rows(c, "SHOW session_user"));
    }
    assertEquals(200, overHttp("carol", "carol-pw"));
  }

  /** The status of a request to the HTTP port with BASIC credentials. */
  private static int overHttp(String user, String password) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.server().port() + "/console/api/sessions"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8))).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  // --- simple protocol ---------------------------------------------------------------------

  @Test void theSimpleProtocolReturnsRowsCountsAndTags() throws Exception {
    try (Connection c = server.root("preferQueryMode", "simple")) {
      assertEquals(List.of(List.of(1, "x", true)),
          rows(c, "SELECT 1 AS a, 'x' AS b, TRUE AS c"));
      try (Statement s = c.createStatement()) {
        // Several statements in one Query message; the ; inside the string splits nothing.
        assertTrue(s.execute("SELECT 'a;b' AS t; SELECT 2 AS n"));
        try (ResultSet rs = s.getResultSet()) {
          rs.next();
          assertEquals("a;b", rs.getString(1));
        }
        assertTrue(s.getMoreResults());
        try (ResultSet rs = s.getResultSet()) {
          rs.next();
          assertEquals(2, rs.getInt(1));
        }
        assertEquals(0, s.executeUpdate("SET statement_timeout = '5s'"));
        assertEquals(List.of(List.of("5s")), rows(c, "SHOW statement_timeout"));
      }
      assertEquals(25, rows(c, "SELECT n_name FROM nation").size());
    }
  }

  @Test void valuesOfEveryTypeArriveAsTheyAre() throws Exception {
    String sql = "SELECT CAST(7 AS SMALLINT), 70000, CAST(9000000000 AS BIGINT), "
        + "CAST(1.5 AS REAL), CAST(2.25 AS DOUBLE), CAST(12345.678 AS DECIMAL(10, 3)), "
        + "TRUE, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123', 'text', "
        + "CAST(NULL AS INTEGER), X'0102FF'";
    for (String mode : List.of("simple", "extended")) {
      try (Connection c = server.root("preferQueryMode", mode);
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        assertEquals(7, rs.getShort(1), mode);
        assertEquals(70000, rs.getInt(2), mode);
        assertEquals(9_000_000_000L, rs.getLong(3), mode);
        assertEquals(1.5f, rs.getFloat(4), mode);
        assertEquals(2.25, rs.getDouble(5), mode);
        assertEquals(new BigDecimal("12345.678"), rs.getBigDecimal(6), mode);
        assertTrue(rs.getBoolean(7), mode);
        assertEquals(LocalDate.of(2024, 1, 2), rs.getObject(8, LocalDate.class), mode);
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000),
            rs.getObject(9, LocalDateTime.class), mode);
        assertEquals("text", rs.getString(10), mode);
        assertNull(rs.getObject(11), mode);
        assertArrayEquals(new byte[] {1, 2, (byte) 0xFF}, rs.getBytes(12), mode);
      }
    }
  }

  // --- extended protocol -------------------------------------------------------------------

  @Test void preparedStatementsPastThePrepareThresholdUseBinaryValues() throws Exception {
    try (Connection c = server.root("prepareThreshold", "1",
        "binaryTransferEnable", "BOOL,TEXT,VARCHAR");
         PreparedStatement ps = c.prepareStatement("SELECT n_nationkey, "
             + "CAST(n_nationkey AS DOUBLE) / 4, CAST(n_nationkey AS REAL), "
             + "CAST(n_nationkey AS DECIMAL(10, 2)) + 0.25, n_nationkey > ?, n_name, "
             + "DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:58.5', X'CAFE', "
             + "CAST(n_nationkey AS BIGINT) * 1000000000 "
             + "FROM nation WHERE n_nationkey = ? OR n_name = ?")) {
      for (int run = 0; run < 7; run++) {
        ps.setInt(1, 2);
        ps.setInt(2, 3);
        ps.setString(3, "FRANCE");
        List<Object[]> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(new Object[] {rs.getInt(1), rs.getDouble(2), rs.getFloat(3),
                rs.getBigDecimal(4), rs.getBoolean(5), rs.getString(6),
                rs.getObject(7, LocalDate.class), rs.getObject(8, LocalDateTime.class),
                rs.getBytes(9), rs.getLong(10)});
            if (run >= 2) {
              PGResultSetMetaData metadata = rs.getMetaData().unwrap(PGResultSetMetaData.class);
              for (int column = 1; column <= 10; column++) {
                assertEquals(1, metadata.getFormat(column),
                    "column " + column + " of run " + run + " in binary");
              }
            }
          }
        }
        found.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
        assertEquals(2, found.size(), "run " + run);
        Object[] algeria = found.get(0);
        assertEquals(3, algeria[0]);
        assertEquals(0.75, algeria[1]);
        assertEquals(3f, algeria[2]);
        assertEquals(new BigDecimal("3.25"), algeria[3]);
        assertEquals(true, algeria[4]);
        assertEquals("CANADA", algeria[5]);
        assertEquals(LocalDate.of(2024, 2, 29), algeria[6]);
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 500_000_000), algeria[7]);
        assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, (byte[]) algeria[8]);
        assertEquals(3_000_000_000L, algeria[9]);
        assertEquals("FRANCE", found.get(1)[5]);
      }
    }
  }

  /** Arrays arrive as arrays of their element type, in text and, past the threshold, binary. */
  @Test void arraysArriveAsArraysInTextAndBinary() throws Exception {
    try (Connection c = server.root("prepareThreshold", "2",
        "binaryTransferEnable", "INT4_ARRAY,VARCHAR_ARRAY");
         PreparedStatement ps = c.prepareStatement("SELECT "
             + "ARRAY[CAST(n_nationkey AS INTEGER), NULL], ARRAY[n_name, 'a \"b\"', ''], "
             + "ARRAY[CAST(1.5 AS DECIMAL(3, 1))] "
             + "FROM nation WHERE n_nationkey = ?")) {
      for (int run = 0; run < 4; run++) {
        ps.setInt(1, 3);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("int4", rs.getMetaData().getColumnTypeName(1).replace("_", ""),
              "run " + run);
          assertArrayEquals(new Integer[] {3, null}, (Object[]) rs.getArray(1).getArray());
          assertArrayEquals(new String[] {"CANADA", "a \"b\"", ""},
              (Object[]) rs.getArray(2).getArray());
          assertArrayEquals(new BigDecimal[] {new BigDecimal("1.5")},
              (Object[]) rs.getArray(3).getArray());
          if (run >= 2) {
            PGResultSetMetaData metadata = rs.getMetaData().unwrap(PGResultSetMetaData.class);
            assertEquals(1, metadata.getFormat(1), "run " + run);
            assertEquals(1, metadata.getFormat(2), "run " + run);
          }
        }
      }
    }
  }

  @Test void parametersOfEveryTypeBindInTextAndBinary() throws Exception {
    String sql = "SELECT CAST(? AS INTEGER) + 1, CAST(? AS BIGINT) * 2, CAST(? AS DOUBLE) / 2, "
        + "CAST(? AS DECIMAL(10, 2)) + 1, CAST(? AS BOOLEAN), CAST(? AS VARCHAR(20)), "
        + "CAST(? AS DATE), CAST(? AS TIMESTAMP), CAST(? AS SMALLINT)";
    for (String threshold : List.of("0", "1")) {
      try (Connection c = server.root("prepareThreshold", threshold);
           PreparedStatement ps = c.prepareStatement(sql)) {
        for (int run = 0; run < 6; run++) {
          ps.setInt(1, 41);
          ps.setLong(2, 4_000_000_000L);
          ps.setDouble(3, 5.0);
          ps.setBigDecimal(4, new BigDecimal("1.25"));
          ps.setBoolean(5, true);
          ps.setString(6, "héllo");
          ps.setDate(7, Date.valueOf("2023-12-31"));
          ps.setTimestamp(8, Timestamp.valueOf("2023-12-31 23:59:59.25"));
          ps.setShort(9, (short) 12);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(42, rs.getInt(1));
            assertEquals(8_000_000_000L, rs.getLong(2));
            assertEquals(2.5, rs.getDouble(3));
            assertEquals(new BigDecimal("2.25"), rs.getBigDecimal(4));
            assertTrue(rs.getBoolean(5));
            assertEquals("héllo", rs.getString(6));
            assertEquals(LocalDate.of(2023, 12, 31), rs.getObject(7, LocalDate.class));
            assertEquals(LocalDateTime.of(2023, 12, 31, 23, 59, 59, 250_000_000),
                rs.getObject(8, LocalDateTime.class));
            assertEquals(12, rs.getShort(9));
          }
        }
      }
    }
  }

  @Test void aParameterUsedTwiceIsBoundToBoth() throws Exception {
    try (Connection c = server.root();
         PreparedStatement ps = c.prepareStatement(
             "SELECT n_name FROM nation WHERE n_nationkey = ? OR n_regionkey = ? "
                 + "ORDER BY n_name")) {
      ps.setInt(1, 0);
      ps.setInt(2, 0);
      List<String> names = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      assertEquals(List.of("ALGERIA", "ETHIOPIA", "KENYA", "MOROCCO", "MOZAMBIQUE"), names);
    }
  }

  @Test void aFetchSizeInATransactionReadsEveryRowInBatches() throws Exception {
    try (Connection c = server.root()) {
      c.setAutoCommit(false);
      long expected;
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lineitem")) {
        rs.next();
        expected = rs.getLong(1);
      }
      assertTrue(expected > 50_000, "lineitem has " + expected + " rows");
      try (Statement s = c.createStatement()) {
        s.setFetchSize(1000);
        long rows = 0;
        long keys = 0;
        try (ResultSet rs = s.executeQuery("SELECT l_orderkey, l_comment FROM lineitem")) {
          while (rs.next()) {
            rows++;
            keys += rs.getLong(1);
          }
        }
        assertEquals(expected, rows);
        assertTrue(keys > 0);
      }
      c.commit();
    }
  }

  // --- errors ------------------------------------------------------------------------------

  /** What a SQL tool's schema tree reads through pgjdbc's own catalog queries. */
  @Test void databaseMetaDataListsSchemasTablesAndColumns() throws Exception {
    try (Connection c = server.connect("root", PgWireServer.ROOT_PASSWORD)) {
      DatabaseMetaData metadata = c.getMetaData();
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = metadata.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.containsAll(List.of("tpch", "pg_catalog", "information_schema")),
          schemas.toString());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = metadata.getTables(null, "tpch", "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          assertEquals("TABLE", rs.getString("TABLE_TYPE"));
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("lineitem", "nation", "orders")), tables.toString());
      try (ResultSet rs = metadata.getColumns(null, "tpch", "nation", "%")) {
        assertTrue(rs.next());
        assertEquals("n_nationkey", rs.getString("COLUMN_NAME"));
        assertEquals(Types.BIGINT, rs.getInt("DATA_TYPE"));
        assertEquals("int8", rs.getString("TYPE_NAME"));
        assertTrue(rs.next());
        assertEquals("n_name", rs.getString("COLUMN_NAME"));
        assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
      }
      // Keys and indexes: Quell has none, and the queries that look for them run.
      for (ResultSet rs : List.of(metadata.getPrimaryKeys(null, "tpch", "nation"),
          metadata.getIndexInfo(null, "tpch", "nation", false, true),
          metadata.getImportedKeys(null, "tpch", "nation"),
          metadata.getExportedKeys(null, "tpch", "nation"))) {
        try (rs) {
          assertFalse(rs.next());
        }
      }
      // The words past SQL:2003's that a tool must quote: Quell's reserved ones among them.
      List<String> keywords = List.of(metadata.getSQLKeywords().split(","));
      assertTrue(keywords.containsAll(List.of("limit", "offset")), keywords.toString());
      assertFalse(keywords.contains("select"), keywords.toString());
    }
  }

  @Test void errorsCarryTheirSqlStateAndTheConnectionGoesOn() throws Exception {
    try (Connection c = server.root()) {
      SQLException syntax = fails("42601", () -> rows(c, "SELEC 1"));
      assertFalse(syntax.getMessage().contains("at org."), syntax.getMessage());
      fails("22012", () -> rows(c, "SELECT n_nationkey / 0 FROM nation"));
      fails("42P01", () -> c.createStatement().execute("DROP VIEW no_such_view"));
      fails("42000", () -> rows(c, "SELECT * FROM no_such_table"));
      assertEquals(List.of(List.of(2)), rows(c, "SELECT 1 + 1"));
      try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS INTEGER)")) {
        ps.setString(1, "not a number");
        fails("22P02", ps::executeQuery);
      }
      assertEquals(List.of(List.of(3)), rows(c, "SELECT 1 + 2"));
    }
  }

  @Test void aFailedTransactionRefusesStatementsUntilItEnds() throws Exception {
    try (Connection c = server.root()) {
      c.setAutoCommit(false);
      assertEquals(List.of(List.of(1)), rows(c, "SELECT 1"));
      fails("42601", () -> rows(c, "SELEC 1"));
      SQLException aborted = fails("25P02", () -> rows(c, "SELECT 1"));
      assertTrue(aborted.getMessage().contains("current transaction is aborted"),
          aborted.getMessage());
      c.rollback();
      assertEquals(List.of(List.of(1)), rows(c, "SELECT 1"));
      c.commit();
    }
  }

  // --- cancel ------------------------------------------------------------------------------

  @Test void statementCancelStopsTheQueryWithinASecondAndIsAudited() throws Exception {
    try (Connection c = server.root(); Statement s = c.createStatement()) {
      int pid = c.unwrap(PGConnection.class).getBackendPID();
      CompletableFuture<SQLException> failure = CompletableFuture.supplyAsync(() ->
          assertThrows(SQLException.class, () -> s.executeQuery("SELECT pg_sleep(30)")));
      awaitRunning(pid);
      long start = System.nanoTime();
      s.cancel();
      SQLException e = failure.get(10, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals("57014", e.getSQLState(), e.getMessage());
      assertTrue(millis < 1000, "cancelled after " + millis + " ms");
      assertEquals(List.of(List.of(1)), rows(c, "SELECT 1"));
    }
    assertTrue(audited("PG_CANCEL"), "the cancel is in the audit");
  }

  @Test void aQueryTimeoutCancelsThroughTheSameRoute() throws Exception {
    try (Connection c = server.root(); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      SQLException e = fails("57014", () -> s.executeQuery("SELECT pg_sleep(30)"));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 2500, "timed out after " + millis + " ms: " + e.getMessage());
    }
  }

  @Test void aWrongCancelKeyCancelsNothing() throws Exception {
    try (Connection c = server.root(); Statement s = c.createStatement()) {
      int pid = c.unwrap(PGConnection.class).getBackendPID();
      CompletableFuture<Long> query = CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        try (ResultSet rs = s.executeQuery("SELECT pg_sleep(1.5)")) {
          rs.next();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      });
      awaitRunning(pid);
      for (int secret : new int[] {0, 1, -1, 12345}) {
        RawClient.cancel(server.pgPort(), pid, secret);
      }
      assertTrue(query.get(10, TimeUnit.SECONDS) >= 1400, "the query ran its course");
    }
  }

  /** Waits until session {@code pid} runs a query. */
  private static void awaitRunning(int pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var session = server.server().engine().registry().sessionByPid(pid);
      if (session != null && session.activeQuery() != null
          && session.activeQuery().sql().contains("pg_sleep")) {
        Thread.sleep(100);
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("session " + pid + " never ran its query");
  }

  private static boolean audited(String cause) throws SQLException {
    try (Connection c = server.server().node().connect("root", new Properties());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM quell_internal.cancellations "
             + "WHERE cause = '" + cause + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  // --- the session ---------------------------------------------------------------------------

  @Test void showSessionsListsThePgwireSessionWithItsAddressAndApplication() throws Exception {
    try (Connection c = server.root("ApplicationName", "pg-test-app")) {
      int localPort;
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SHOW SESSIONS")) {
        List<String> found = new ArrayList<>();
        while (rs.next()) {
          found.add(rs.getString("client_address") + " " + rs.getString("application_name"));
        }
        localPort = found.stream().filter(f -> f.endsWith(" pg-test-app")).findFirst()
            .map(f -> Integer.parseInt(f.substring(f.indexOf(':') + 1, f.indexOf(' '))))
            .orElseThrow(() -> new AssertionError("not listed: " + found));
      }
      assertTrue(localPort > 0);
      try (Statement s = c.createStatement()) {
        s.execute("SET application_name = 'renamed'");
      }
      assertEquals(List.of(List.of("renamed")), rows(c, "SHOW application_name"));
      assertEquals("renamed", c.getClientInfo("ApplicationName"));
    }
  }
}
