package io.quell.distribution;

import static io.quell.distribution.DistributionTest.assertNoLoggingWarnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * bin/quell-server drained as an operator does it: with SIGTERM from a service manager, or
 * with {@code bin/quell-server drain}. A running query has the drain timeout, then is
 * cancelled with a message and audited; logins are refused meanwhile; then the process exits.
 */
@Timeout(180)
class ServerDrainTest {
  private static final long DRAIN_TIMEOUT_SECONDS = 5;

  @TempDir Path dir;
  Installation installation;
  ServerProcess server;

  @BeforeEach void start() throws Exception {
    installation = Installation.unpack(dir);
    server = startServer();
    try (Connection root = root(); Statement s = root.createStatement()) {
      s.executeUpdate("CREATE USER bob WITH PASSWORD 'bob-secret'");
    }
  }

  private ServerProcess startServer() throws Exception {
    return installation.startServer(dir, "--scale", "0.01", "--drain-timeout",
        Long.toString(DRAIN_TIMEOUT_SECONDS));
  }

  private Connection root() throws SQLException {
    return server.connect("root", Installation.ROOT_PASSWORD);
  }

  @AfterEach void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test void sigtermDrainsTheNodeAndTheAuditKeepsTheCancelledQuery() throws Exception {
    Connection bob = server.connect("bob", "bob-secret");
    CompletableFuture<SQLException> overtime = CompletableFuture.supplyAsync(() ->
        assertThrows(SQLException.class, () -> bob.createStatement()
            .executeQuery("SELECT pg_sleep(60)")));
    awaitRunningSleep();
    long start = System.nanoTime();
    server.terminate();

    SQLException refused = awaitRefusedLogin();
    assertEquals("57P03", refused.getSQLState(), refused.getMessage());
    assertTrue(refused.getMessage().contains("the node is draining"), refused.getMessage());
    SQLException cancelled = overtime.get(DRAIN_TIMEOUT_SECONDS + 20, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("57014", cancelled.getSQLState(), cancelled.getMessage());
    assertTrue(cancelled.getMessage().contains("message from the canceler: \"node 1 is draining "
        + "and its drain timeout of 5 s has passed\""), cancelled.getMessage());
    assertTrue(millis >= DRAIN_TIMEOUT_SECONDS * 1000 - 500,
        "cancelled " + millis + " ms after SIGTERM");
    // The JVM's status for an exit on SIGTERM, 128 + 15 (systemd: SuccessExitStatus=143).
    assertEquals(143, server.awaitExit(30));
    assertNoLoggingWarnings(server.console());

    server = startServer();
    try (Connection root = root(); Statement s = root.createStatement();
         ResultSet rs = s.executeQuery("SELECT canceled_by, target, cause FROM "
             + "quell_internal.cancellations WHERE target_user = 'bob'")) {
      List<String> audit = new ArrayList<>();
      while (rs.next()) {
        audit.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      assertEquals(List.of("node QUERY SHUTDOWN"), audit);
    }
  }

  @Test void theDrainCommandDrainsAndWaitsUntilTheNodeHasStopped() throws Exception {
    Process drain = installation.process(List.of(installation.command("quell-server")
        .toString(), "drain", "--port", Integer.toString(server.port())))
        .redirectErrorStream(true).start();
    drain.getOutputStream().close();
    ShellRun run = ShellRun.await(drain);
    assertEquals(1, run.exitCode(), "no password: " + run.out());
    assertTrue(run.out().contains("(SQLSTATE 28P01)") || run.out().contains("401"), run.out());

    ProcessBuilder builder = installation.process(List.of(installation.command("quell-server")
        .toString(), "drain", "--port", Integer.toString(server.port())));
    builder.environment().putAll(Map.of("QUELL_PASSWORD", Installation.ROOT_PASSWORD));
    run = ShellRun.await(builder.start());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("Drained and stopped localhost:" + server.port()), run.out());
    assertEquals(0, server.awaitExit(10));
  }

  private void awaitRunningSleep() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    try (Connection root = root()) {
      while (true) {
        try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT COUNT(*) FROM (SHOW QUERIES) AS q WHERE user_name = 'bob'")) {
          rs.next();
          if (rs.getInt(1) == 1) {
            return;
          }
        }
        assertTrue(System.currentTimeMillis() < deadline, "the sleep never ran");
        Thread.sleep(50);
      }
    }
  }

  /** The refusal of a login once the signal has reached the server. */
  private SQLException awaitRefusedLogin() throws Exception {
    long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_SECONDS * 1000;
    while (System.currentTimeMillis() < deadline) {
      try (Connection ignored = server.connect("bob", "bob-secret")) {
        Thread.sleep(20);
      } catch (SQLException e) {
        return e;
      }
    }
    throw new AssertionError("logins were never refused");
  }
}
