package io.quell.frontend;

import static io.quell.engine.EngineFixture.column;
import static io.quell.engine.EngineFixture.failsWith;
import static io.quell.engine.EngineFixture.update;
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
import java.util.List;
import java.util.Properties;

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
      // Avatica's own client sends the setting later, so the server keeps its level instead
      // of refusing (jdbc:quell:// refuses it at once)
      root.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, root.getTransactionIsolation());
      assertEquals(List.of(1), column(root, "SELECT 1"));
      assertFalse(root.isReadOnly());
      root.setReadOnly(true);
      assertTrue(root.isReadOnly());
    }
  }
}
