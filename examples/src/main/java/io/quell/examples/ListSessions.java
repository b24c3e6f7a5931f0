package io.quell.examples;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lists the sessions the user may see, like the seed page's first {@code SHOW SESSIONS}.
 * Usage: {@code ListSessions jdbc:quell://localhost:8765 root <password>}
 */
public final class ListSessions {
  private ListSessions() {
  }

  public static void main(String[] args) throws SQLException {
    run(args[0], args[1], args[2], System.out);
  }

  public static int run(String url, String user, String password, PrintStream out)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT node_id, session_id, user_name, status, active_queries FROM (SHOW SESSIONS) AS s")) {
      out.printf("%-8s %-32s %-12s %-7s %s%n", "node_id", "session_id", "user_name", "status",
          "active_queries");
      int rows = 0;
      while (rs.next()) {
        out.printf("%-8d %-32s %-12s %-7s %s%n", rs.getInt(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5));
        rows++;
      }
      return rows;
    }
  }
}
