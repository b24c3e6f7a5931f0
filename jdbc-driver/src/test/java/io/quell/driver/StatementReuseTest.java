package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.AvaticaStatement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A statement per query, as BI tools send them: a closed statement whose query is done leaves
 * its server handle to the connection's next statement (no create and close requests), while
 * one closed with rows unread is closed on the server, which ends its query.
 */
@Timeout(120)
class StatementReuseTest {
  @TempDir static Path dir;
  static ServerFixture f;

  @BeforeAll static void start() throws Exception {
    f = new ServerFixture(dir);
  }

  @AfterAll static void stop() {
    f.close();
  }

  @Test void aStatementWhoseRowsWereReadLeavesItsHandleToTheNext() throws Exception {
    try (Connection c = f.root()) {
      int first;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1, 2")) {
        first = handle(s);
        while (rs.next()) {
          rs.getInt(1);
        }
      }
      try (Statement s = c.createStatement()) {
        assertEquals(first, handle(s), "the handle of the closed statement is reused");
        assertEquals(List.of("7"), strings(c, "SELECT 7"));
        try (ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
          assertTrue(rs.next());
          assertEquals(42, rs.getInt(1));
        }
      }
      Statement closed = c.createStatement();
      closed.close();
      SQLException e = assertThrows(SQLException.class, () -> closed.executeQuery("SELECT 1"));
      assertEquals("55000", e.getSQLState(), e.getMessage());
    }
  }

  @Test void aStatementClosedWithRowsUnreadEndsItsQueryOnTheServer() throws Exception {
    try (Connection c = f.root(); Connection watcher = f.root()) {
      int unread;
      Statement s = c.createStatement();
      s.setFetchSize(10);
      ResultSet rs = s.executeQuery("SELECT l_orderkey FROM lineitem");
      assertTrue(rs.next());
      unread = handle(s);
      assertEquals(List.of("1"), strings(watcher, "SELECT COUNT(*) FROM "
          + "quell_internal.node_queries WHERE query LIKE 'SELECT l_orderkey%'"));
      s.close();
      assertEquals(List.of("0"), strings(watcher, "SELECT COUNT(*) FROM "
          + "quell_internal.node_queries WHERE query LIKE 'SELECT l_orderkey%'"),
          "closing the statement ended its query");
      try (Statement next = c.createStatement()) {
        assertNotEquals(unread, handle(next), "a handle closed on the server is not reused");
      }
    }
  }

  @Test void aConnectionHoldsAtMostTenThousandOpenStatements() throws Exception {
    try (Connection c = f.root()) {
      List<Statement> open = new java.util.ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        open.add(c.createStatement());
      }
      SQLException e = assertThrows(SQLException.class, c::createStatement);
      assertEquals("53000", e.getSQLState(), e.getMessage());
      open.get(0).close();
      try (Statement s = c.createStatement()) {
        assertTrue(s.execute("VALUES 1"), "a statement again once one is closed");
      }
    }
  }

  private static int handle(Statement s) throws SQLException {
    return s.unwrap(AvaticaStatement.class).handle.id;
  }
}
