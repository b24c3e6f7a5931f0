package io.quell.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code SET statement_timeout}: the server cancels any statement of the session that runs
 * longer. Returns the SQLSTATE the slow query failed with.
 * Usage: {@code StatementTimeout jdbc:quell://localhost:8765 root <password>}
 */
public final class StatementTimeout {
  private StatementTimeout() {
  }

  public static void main(String[] args) throws SQLException {
    System.out.println("query ended with SQLSTATE " + run(args[0], args[1], args[2]));
  }

  public static String run(String url, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         Statement s = c.createStatement()) {
      s.execute("SET statement_timeout = '1s'");
      try (ResultSet rs = s.executeQuery("SELECT pg_sleep(30)")) {
        return "completed";
      } catch (SQLException e) {
        return e.getSQLState();
      }
    }
  }
}
