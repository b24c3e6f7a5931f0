package io.quell.driver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * A client process that starts a query which would run for ten minutes and waits for it; the
 * tests kill it to see what the server does about a client that disappears.
 * Arguments: JDBC URL, user, password, application name.
 */
public final class AbandonedClient {
  private AbandonedClient() {
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    props.setProperty("applicationName", args[3]);
    try (Connection c = DriverManager.getConnection(args[0], props);
         Statement s = c.createStatement()) {
      s.executeQuery("SELECT pg_sleep(600)");
    }
  }
}
