package io.quell.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Cancels every session of a user with the seed page's WITH/SHOW subquery.
 * Usage: {@code CancelUserSessions jdbc:quell://localhost:8765 root <password> maxroach}
 */
public final class CancelUserSessions {
  private CancelUserSessions() {
  }

  public static void main(String[] args) throws SQLException {
    System.out.println("cancelled: " + run(args[0], args[1], args[2], args[3]));
  }

  public static int run(String url, String user, String password, String victim)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         PreparedStatement cancel = c.prepareStatement("CANCEL SESSIONS (WITH x AS "
             + "(SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = ?)")) {
      cancel.setString(1, victim);
      return cancel.executeUpdate();
    }
  }
}
