package io.quell.frontend;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code jdbc:quell:embedded:}, found through {@code java.sql.Driver} service loading, with
 * today's URL syntax and properties; and what a session learns of its user and transactions,
 * over the embedded transport.
 */
class EmbeddedDriverTest {
  @TempDir Path dir;

  private Connection connect(String user) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("applicationName", "embedded-test");
    return DriverManager.getConnection(
        "jdbc:quell:embedded:" + dir + "?scale=0.01&rootPassword=embedded-root", props);
  }

  @Test void oneNodePerDataDirectoryAndTheUserPropertyPicksTheUser() throws Exception {
    assertInstanceOf(EmbeddedDriver.class, DriverManager.getDriver("jdbc:quell:embedded:x"));
    assertNull(new EmbeddedDriver().connect("jdbc:quell://localhost:8765", new Properties()));
    try (Connection root = connect("root")) {
      update(root, "CREATE USER maxroach WITH PASSWORD 'roach'");
      try (Connection max = connect("maxroach")) {
        assertEquals(List.of("embedded-test", "embedded-test"),
            column(root, "SELECT application_name FROM (SHOW SESSIONS) AS s"));
        assertEquals(List.of("maxroach", "maxroach", "maxroach", "maxroach"), column(max,
            "SELECT CURRENT_USER FROM (VALUES 1) UNION ALL SELECT SESSION_USER FROM (VALUES 1)"
                + " UNION ALL SELECT USER FROM (VALUES 1) UNION ALL "
                + "SELECT user_name FROM (SHOW SESSIONS) AS s"));
        assertEquals(List.of("maxroach"), column(max, "SHOW session_user"));
        assertEquals(List.of("root"), column(root, "SELECT SESSION_USER"));
        try (var prepared = max.prepareStatement("SELECT SESSION_USER, CAST(? AS INTEGER) FROM (VALUES 1)")) {
          prepared.setInt(1, 7);
          try (var rs = prepared.executeQuery()) {
            assertTrue(rs.next());
            assertEquals("maxroach", rs.getString(1));
            assertEquals(7, rs.getInt(2));
          }
          prepared.setInt(1, 8);
          try (var rs = prepared.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(8, rs.getInt(2));
          }
        }
      }
      failsWith("28000", () -> connect("nobody"));
    }
  }

  @Test void badUrlPropertiesFailWithSqlState() {
    failsWith("22023", () -> DriverManager.getConnection(
        "jdbc:quell:embedded:" + dir.resolve("other") + "?scale=lots"));
  }

  @Test void manualCommitModeCommitsNothingAndUndoesNothing() throws Exception {
    try (Connection root = connect("root")) {
      assertTrue(root.getAutoCommit());
      root.setAutoCommit(false);
      assertFalse(root.getAutoCommit());
      assertEquals(List.of(1), column(root, "SELECT 1"));
      root.commit();
      update(root, "CREATE USER analyst WITH PASSWORD 'a'");
      root.rollback();
      // a user statement took effect at once, and rollback does not undo it
      assertEquals(List.of("analyst"),
          column(root, "SELECT username FROM quell_internal.users WHERE username = 'analyst'"));
      try (Connection analyst = connect("analyst")) {
        assertEquals(List.of("analyst"), column(analyst, "SELECT SESSION_USER"));
      }
      root.setAutoCommit(true);
      root.commit();
      assertTrue(root.getAutoCommit());

      assertEquals(Connection.TRANSACTION_READ_COMMITTED, root.getTransactionIsolation());
      assertEquals(Connection.TRANSACTION_READ_COMMITTED,
          root.getMetaData().getDefaultTransactionIsolation());
      root.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      // refused at once, as over jdbc:quell:// (the same connection classes)
      failsWith("0A000", () -> root.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, root.getTransactionIsolation());
      assertEquals(List.of(1), column(root, "SELECT 1"));
      assertFalse(root.isReadOnly());
      root.setReadOnly(true);
      assertTrue(root.isReadOnly());
    }
  }

  /**
   * Statement.cancel() and a query timeout stop the query in the engine, through the same
   * audited CANCEL QUERY as over jdbc:quell://, not only on the client; a cancelled session's
   * connection then reports itself closed.
   */
  @Test void cancelAndQueryTimeoutStopTheQueryInTheEngine() throws Exception {
    try (Connection root = connect("root")) {
      update(root, "CREATE USER maxroach WITH PASSWORD 'roach'");
      Connection max = connect("maxroach");
      Statement statement = max.createStatement();
      CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
        try {
          statement.executeQuery("SELECT pg_sleep(600)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      String queryId = runningQuery(root);
      statement.cancel();
      SQLException canceled = outcome.get(10, TimeUnit.SECONDS);
      assertEquals("57014", canceled.getSQLState(), canceled.getMessage());
      assertEquals("query execution canceled", canceled.getMessage());
      assertEquals(List.of(List.of("maxroach", "QUERY", queryId, "maxroach")), rows(root,
          "SELECT canceled_by, target, target_id, target_user FROM quell_internal.cancellations"));
      assertEquals(List.of(), column(root,
          "SELECT query_id FROM quell_internal.node_queries WHERE user_name = 'maxroach'"));

      statement.setQueryTimeout(1);
      long start = System.nanoTime();
      assertEquals("query execution canceled", failsWith("57014",
          () -> statement.executeQuery("SELECT pg_sleep(600)")));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 5000, "timed out after " + ms + " ms");

      update(root, "CANCEL SESSION '" + sessionId(max) + "'");
      failsWith("57P01", () -> column(max, "SELECT 1"));
      assertTrue(max.isClosed());
      max.close();
    }
  }

  /**
   * A result set is read straight from the plan, one row at a time, yet fails where a server's
   * would: a query that cannot produce its first row fails in executeQuery, a later row's
   * failure in next(); either way, and when a result set is closed half read, the query is
   * over and the session goes on.
   */
  @Test void resultsFailAndEndAsTheyWouldOverTheWire() throws Exception {
    try (Connection root = connect("root"); Statement s = root.createStatement()) {
      failsWith("22012", () -> s.executeQuery("SELECT 1 / (n_nationkey - n_nationkey) FROM nation"));
      // no ORDER BY: a sort would compute every row before the first
      try (var rs = s.executeQuery("SELECT 10 / (4 - n_nationkey) FROM nation")) {
        for (int expected : new int[] {2, 3, 5, 10}) {
          assertTrue(rs.next());
          assertEquals(expected, rs.getInt(1));
        }
        failsWith("22012", rs::next);
      }
      var half = s.executeQuery("SELECT n_name FROM nation");
      assertTrue(half.next());
      assertEquals(1, column(root, "SELECT COUNT(*) FROM quell_internal.node_queries "
          + "WHERE query = 'SELECT n_name FROM nation'").size());
      half.close();
      assertEquals(List.of(0L), column(root, "SELECT COUNT(*) FROM quell_internal.node_queries "
          + "WHERE query = 'SELECT n_name FROM nation'"));
      assertEquals(List.of(25L), column(root, "SELECT COUNT(*) FROM nation"));
    }
  }

  /**
   * A closed statement's engine handle serves the next statement: nothing of the last one's
   * shape, rows or cancellation carries over.
   */
  @Test void aReusedStatementHandleStartsAfresh() throws Exception {
    try (Connection root = connect("root")) {
      for (int i = 0; i < 50; i++) {
        try (Statement s = root.createStatement()) {
          if (i % 3 == 0) {
            assertEquals(List.of(List.of(i, "x" + i)), rows(root,
                "SELECT " + i + ", 'x" + i + "' FROM (VALUES 1)"));
          }
          try (var rs = s.executeQuery(i % 2 == 0 ? "SELECT n_name FROM nation WHERE "
              + "n_nationkey = " + (i % 25) : "SELECT COUNT(*), MAX(n_nationkey) FROM nation")) {
            assertTrue(rs.next());
            assertEquals(i % 2 == 0 ? 1 : 2, rs.getMetaData().getColumnCount());
            if (i % 2 == 1) {
              assertEquals(25L, rs.getLong(1));
            }
          }
          if (i % 10 == 5) {
            s.setQueryTimeout(1);
            failsWith("57014", () -> s.executeQuery("SELECT pg_sleep(5)"));
          }
        }
      }
      assertEquals(List.of(0L), column(root, "SELECT COUNT(*) FROM quell_internal.node_queries "
          + "WHERE query NOT LIKE '%node_queries%'"));
    }
  }

  /** Closing the engine ends its embedded sessions; their connections then fail, 57P01. */
  @Test void closingTheNodeEndsItsEmbeddedSessions() throws Exception {
    Connection c;
    try (QuellNode node = QuellNode.start(io.quell.engine.EngineConfig.builder()
        .dataDir(dir.resolve("own")).scaleFactor(0.01).rootPassword("x").build())) {
      c = node.connect("root", new Properties());
      assertEquals(List.of(1), column(c, "SELECT 1"));
    }
    failsWith("57P01", () -> column(c, "SELECT 1"));
    assertTrue(c.isClosed());
    c.close();
  }

  /** The id of the query maxroach runs, once it runs. */
  private static String runningQuery(Connection root) throws Exception {
    for (int i = 0; i < 500; i++) {
      List<Object> ids = column(root,
          "SELECT query_id FROM quell_internal.node_queries WHERE user_name = 'maxroach'");
      if (!ids.isEmpty()) {
        return (String) ids.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("maxroach's query never started");
  }
}
