package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What a client sees of a statement: its rows, its update count, or its error. */
final class Sql {
  private Sql() {
  }

  static List<List<Object>> rows(Connection c, String sql) throws SQLException {
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

  static List<Object> column(Connection c, String sql) throws SQLException {
    return rows(c, sql).stream().map(r -> r.get(0)).toList();
  }

  static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  /** Runs {@code body}, expecting it to fail with {@code sqlState}; returns the message. */
  static String failsWith(String sqlState, Body body) {
    try {
      body.run();
    } catch (SQLException e) {
      assertEquals(sqlState, e.getSQLState(), () -> "unexpected SQLSTATE for: " + e.getMessage());
      return e.getMessage();
    }
    throw new AssertionError("expected SQLSTATE " + sqlState + " but it succeeded");
  }

  /** A JDBC action. */
  @FunctionalInterface
  interface Body {
    void run() throws SQLException;
  }
}
