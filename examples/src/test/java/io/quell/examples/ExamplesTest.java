package io.quell.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Every example, run against a live server on a free loopback port. */
@Timeout(60)
class ExamplesTest {
  static final String PASSWORD = "example-root";
  @TempDir static Path dir;
  static QuellServer server;
  static String url;

  @BeforeAll static void start() throws Exception {
    server = QuellServer.start(EngineConfig.builder().dataDir(dir).scaleFactor(0.01)
        .rootPassword(PASSWORD).build(), "127.0.0.1", 0, Serialization.PROTOBUF, null);
    url = "jdbc:quell://127.0.0.1:" + server.port();
    try (Connection c = DriverManager.getConnection(url, "root", PASSWORD);
         Statement s = c.createStatement()) {
      s.execute("CREATE USER maxroach WITH PASSWORD 'roach'");
    }
  }

  @AfterAll static void stop() {
    server.close();
  }

  @Test void listSessions() throws Exception {
    try (Connection other = DriverManager.getConnection(url, "maxroach", "roach")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int rows = ListSessions.run(url, "root", PASSWORD,
          new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(2, rows, text);
      assertTrue(text.contains("maxroach") && text.contains("root"), text);
    }
  }

  @Test void cancelOneSessionAndAllOfAUser() throws Exception {
    try (Connection a = DriverManager.getConnection(url, "maxroach", "roach");
         Connection b = DriverManager.getConnection(url, "maxroach", "roach")) {
      String id;
      try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SHOW session_id")) {
        rs.next();
        id = rs.getString(1);
      }
      assertEquals(1, CancelSession.run(url, "root", PASSWORD, id));
      SQLException gone = assertThrows(SQLException.class,
          () -> a.createStatement().execute("SELECT 1"));
      assertEquals("57P01", gone.getSQLState());
      assertTrue(a.isClosed(), "after 57P01 the connection reports closed");
      assertEquals(1, CancelUserSessions.run(url, "root", PASSWORD, "maxroach"));
      SQLException e = assertThrows(SQLException.class, () -> b.createStatement().execute("SELECT 1"));
      assertEquals("57P01", e.getSQLState());
    }
  }

  @Test void runawayQueryStoppedByStatementCancel() throws Exception {
    assertEquals("57014", CancelRunawayQuery.run(url, "maxroach", "roach", 1));
  }

  @Test void statementTimeout() throws Exception {
    assertEquals("57014", StatementTimeout.run(url, "maxroach", "roach"));
  }
}
