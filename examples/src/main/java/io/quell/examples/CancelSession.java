package io.quell.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Cancels one session by id, as {@code CANCEL SESSION '<id>'} on the seed page.
 * Usage: {@code CancelSession jdbc:quell://localhost:8765 root <password> <session_id>}
 */
public final class CancelSession {
  private CancelSession() {
  }

  public static void main(String[] args) throws SQLException {
    System.out.println("cancelled: " + run(args[0], args[1], args[2], args[3]));
  }

  public static int run(String url, String user, String password, String sessionId)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         PreparedStatement cancel = c.prepareStatement("CANCEL SESSION ?")) {
      cancel.setString(1, sessionId);
      return cancel.executeUpdate();
    }
  }
}
