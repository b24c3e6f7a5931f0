package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A JDBC session over jdbc:quell:// running a long {@code pg_sleep}, the console's victim. */
final class SleepingSession {
  static final String SQL = "SELECT pg_sleep(300) AS s, 'secret-constant' AS k";

  final String user;
  final String sessionId;
  final String queryId;
  private final CompletableFuture<SQLException> outcome;

  SleepingSession(ServerFixture f, String user, String password, String applicationName)
      throws Exception {
    this(f, user, password, applicationName, SQL);
  }

  /** A session running {@code sql}, which must run for minutes. */
  SleepingSession(ServerFixture f, String user, String password, String applicationName,
      String sql) throws Exception {
    this.user = user;
    Connection connection = f.connect(user, password, applicationName);
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW session_id")) {
      rs.next();
      sessionId = rs.getString(1);
    }
    Statement statement = connection.createStatement();
    outcome = CompletableFuture.supplyAsync(() -> {
      try (ResultSet rs = statement.executeQuery(sql)) {
        rs.next();
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
    queryId = awaitQuery(f);
  }

  private String awaitQuery(ServerFixture f) throws Exception {
    try (Connection root = f.root()) {
      for (int i = 0; i < 1200; i++) {
        try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT query_id FROM quell_internal.node_queries WHERE session_id = '"
                + sessionId + "' AND phase = 'executing'")) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
        Thread.sleep(25);
      }
    }
    throw new AssertionError("the pg_sleep of " + user + " never started");
  }

  boolean running() {
    return !outcome.isDone();
  }

  void assertRunning(String after) {
    assertFalse(outcome.isDone(), user + "'s query ended after " + after);
  }

  /** How the statement failed; waits generously, for a loaded machine. */
  SQLException failure() throws Exception {
    SQLException e = outcome.get(60, TimeUnit.SECONDS);
    assertNotNull(e, user + "'s pg_sleep returned instead of failing");
    return e;
  }
}
