package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.cluster.ClusterConfig;
import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The console of one cluster member shows and cancels the sessions of every member: its
 * listing is SHOW SESSIONS (cluster-wide), its cancel is CANCEL routed to the owning member,
 * and the audit is the shared catalog's.
 */
@Timeout(300)
class ConsoleClusterTest {
  private static final String ROOT_PASSWORD = "root-secret";
  private static final String SECRET = "console-cluster-secret-0123456789";
  private static final String MESSAGE = "moving you to node 1";

  @Test void oneMembersConsoleCancelsASessionOnAnother() throws Exception {
    String catalog = "jdbc:h2:mem:console-cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (TestingServer zookeeper = new TestingServer(true);
        QuellServer one = member(zookeeper, catalog, 1);
        QuellServer two = member(zookeeper, catalog, 2)) {
      try (Connection root = connect(one, "root", ROOT_PASSWORD);
          Statement s = root.createStatement()) {
        s.executeUpdate("CREATE USER alice WITH PASSWORD 'alice-pw'");
      }
      Connection alice = connect(two, "alice", "alice-pw");
      try {
        String sessionId;
        try (Statement s = alice.createStatement();
            ResultSet rs = s.executeQuery("SHOW session_id")) {
          rs.next();
          sessionId = rs.getString(1);
        }
        Statement sleeping = alice.createStatement();
        CompletableFuture<SQLException> victim = CompletableFuture.supplyAsync(() -> {
          try (ResultSet rs = sleeping.executeQuery("SELECT pg_sleep(300)")) {
            return null;
          } catch (SQLException e) {
            return e;
          }
        });
        ConsoleClient console = ConsoleClient.basic(one.port(), "root", ROOT_PASSWORD);
        JsonNode row = awaitActive(console, sessionId);
        assertEquals(2, row.path("node_id").asInt());

        ConsoleClient.Reply members = console.get("api/members");
        assertEquals(200, members.status(), members.json().toString());
        assertTrue(members.column("node_id").containsAll(List.of("1", "2")),
            members.json().toString());

        ConsoleClient.Reply cancel = console.cancel("session", sessionId, MESSAGE);
        assertEquals(200, cancel.status(), cancel.json().toString());
        SQLException e = victim.get(60, TimeUnit.SECONDS);
        assertEquals("57014", e.getSQLState(), String.valueOf(e));
        assertTrue(e.getMessage().contains(MESSAGE), e.getMessage());
        assertTrue(ConsoleClient.basic(two.port(), "root", ROOT_PASSWORD)
            .get("api/cancellations").rows().stream().anyMatch(r ->
                r.path("target_id").asText().equals(sessionId)
                    && r.path("message").asText().equals(MESSAGE)), "the shared audit");
      } finally {
        try {
          alice.close();
        } catch (SQLException ignored) {
          // the test cancelled its session
        }
      }
    }
  }

  private static QuellServer member(TestingServer zookeeper, String catalog, long nodeId)
      throws Exception {
    return QuellServer.builder(EngineConfig.builder().catalogUrl(catalog)
            .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).build())
        .host("127.0.0.1").port(0)
        .cluster(new ClusterConfig(zookeeper.getConnectString(), "console", nodeId, SECRET,
            Duration.ofSeconds(5), Duration.ofSeconds(10)), null).start();
  }

  private static Connection connect(QuellServer node, String user, String password)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection("jdbc:quell://127.0.0.1:" + node.port(), props);
  }

  /** The session's row once the member's listing shows it running; SHOW is cluster-wide. */
  private static JsonNode awaitActive(ConsoleClient console, String sessionId)
      throws Exception {
    for (int i = 0; i < 600; i++) {
      for (JsonNode row : console.get("api/sessions?status=ACTIVE").rows()) {
        if (row.path("session_id").asText().equals(sessionId)) {
          return row;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("session " + sessionId + " never listed on the other member");
  }
}
