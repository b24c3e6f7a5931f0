package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.testing.LoopbackProxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client that disappears in the middle of a long query, by a killed process or a closed
 * socket, has its query cancelled (audited as CONNECTION_CLOSED) and its session ended within
 * the connection-expiry window, and the thread that ran the query leaves the engine.
 */
@Timeout(180)
class ClientDisappearanceTest {
  static final Duration EXPIRY = Duration.ofSeconds(3);
  /** How long past the expiry window a loaded 2-core machine may take to notice. */
  static final Duration SLACK = Duration.ofSeconds(20);

  @TempDir Path dir;
  ServerFixture f;

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(dir, EXPIRY);
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void killedClientProcess() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process client = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        AbandonedClient.class.getName(), f.url(), "root", ServerFixture.ROOT_PASSWORD,
        "doomed-process").redirectErrorStream(true).redirectOutput(
        dir.resolve("client.log").toFile()).start();
    try {
      String[] ids = awaitRunning("doomed-process");
      client.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertCancelledAndEnded(ids);
    } finally {
      client.destroyForcibly();
    }
  }

  @Test void closedClientSocket() throws Exception {
    try (LoopbackProxy proxy = new LoopbackProxy(f.server.port())) {
      Properties props = new Properties();
      props.setProperty("user", "root");
      props.setProperty("password", ServerFixture.ROOT_PASSWORD);
      props.setProperty("applicationName", "doomed-socket");
      Connection c = java.sql.DriverManager.getConnection(
          "jdbc:quell://127.0.0.1:" + proxy.port(), props);
      CompletableFuture<SQLException> waiting = CompletableFuture.supplyAsync(() -> {
        try (Statement s = c.createStatement()) {
          s.executeQuery("SELECT pg_sleep(600)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      String[] ids = awaitRunning("doomed-socket");
      proxy.close();
      assertCancelledAndEnded(ids);
      assertTrue(waiting.get(60, TimeUnit.SECONDS) != null, "the cut client got no error");
    }
  }

  /**
   * Query and session ids of the sleep {@code applicationName} runs, once it runs (not of the
   * driver's own statements at connect).
   */
  private String[] awaitRunning(String applicationName) throws Exception {
    try (Connection root = f.root(); PreparedStatement p = root.prepareStatement(
        "SELECT query_id, session_id FROM (SHOW QUERIES) AS q "
            + "WHERE application_name = ? AND query LIKE '%pg_sleep%'")) {
      p.setString(1, applicationName);
      String[] ids = poll(Duration.ofSeconds(60), () -> {
        try (java.sql.ResultSet rs = p.executeQuery()) {
          return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(ids != null, applicationName + " never started its query");
      return ids;
    }
  }

  private void assertCancelledAndEnded(String[] ids) throws Exception {
    long start = System.nanoTime();
    Duration window = EXPIRY.plus(SLACK);
    var registry = f.server.engine().registry();
    Boolean ended = poll(window, () -> registry.queries().stream()
        .noneMatch(q -> q.id().toString().equals(ids[0]))
        && registry.sessions().stream().noneMatch(s -> s.id().toString().equals(ids[1]))
        ? Boolean.TRUE : null);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("[fault] query and session gone " + millis + " ms after the client "
        + "went (expiry " + EXPIRY.toMillis() + " ms)");
    assertEquals(Boolean.TRUE, ended, "query or session still there after " + window);
    try (Connection root = f.root(); PreparedStatement p = root.prepareStatement(
        "SELECT target, cause FROM quell_internal.cancellations WHERE target_id = ?")) {
      p.setString(1, ids[0]);
      try (java.sql.ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next(), "no audit record");
        assertEquals("QUERY", rs.getString(1));
        assertEquals("CONNECTION_CLOSED", rs.getString(2));
      }
    }
    // Every client is gone: nothing held, no thread left sleeping in the engine.
    f.closeClients();
    assertEquals(new ServerHoldings(0, 0, 0, 0),
        ServerHoldings.awaitEmpty(f.server, window));
  }

  private static <T> T poll(Duration within, Supplier<T> probe) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    T value = probe.get();
    while (value == null && System.nanoTime() < end) {
      Thread.sleep(100);
      value = probe.get();
    }
    return value;
  }
}
