package io.quell.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client sees of a statement: its rows, its update count, or its error. One set for every
 * module's tests (core's test-jar carries it to the others).
 */
public final class Sql {
  private Sql() {
  }

  public static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public static List<Object> column(Connection c, String sql) throws SQLException {
    return rows(c, sql).stream().map(r -> r.get(0)).toList();
  }

  public static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  public static String sessionId(Connection c) throws SQLException {
    return (String) column(c, "SHOW session_id").get(0);
  }

  /** Runs {@code body}, expecting it to fail with {@code sqlState}; returns the message. */
  public static String failsWith(String sqlState, Body body) {
    try {
      body.run();
    } catch (SQLException e) {
      assertEquals(sqlState, e.getSQLState(), () -> "unexpected SQLSTATE for: " + e.getMessage());
      return e.getMessage();
    }
    throw new AssertionError("expected SQLSTATE " + sqlState + " but the statement succeeded");
  }

  /** A JDBC action. */
  @FunctionalInterface
  public interface Body {
    void run() throws SQLException;
  }
}
