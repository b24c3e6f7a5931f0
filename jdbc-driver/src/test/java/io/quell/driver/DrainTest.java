package io.quell.driver;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A graceful drain of a real server, started by DRAIN NODE over jdbc:quell:// as an operator
 * (or {@code quell drain}) would: running queries may finish within the drain timeout, the
 * rest are cancelled with a message and audited, new logins are refused, sessions end, and the
 * node stops.
 */
class DrainTest {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(6);

  @TempDir Path dir;
  ServerFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(config());
    root = f.root();
    update(root, "CREATE USER alice WITH PASSWORD 'alice-pw'");
    update(root, "CREATE USER bob WITH PASSWORD 'bob-pw'");
  }

  private EngineConfig.Builder config() {
    return EngineConfig.builder().dataDir(dir.resolve("data")).drainTimeout(DRAIN_TIMEOUT);
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void runningQueriesFinishWithinTheTimeoutAndTheRestAreCancelledAndAudited()
      throws Exception {
    Connection shortQuery = f.connect("alice", "alice-pw");
    Connection longQuery = f.connect("bob", "bob-pw");
    f.connect("alice", "alice-pw");
    CompletableFuture<SQLException> finishing = run(shortQuery, "SELECT pg_sleep(2)");
    CompletableFuture<SQLException> overtime = run(longQuery, "SELECT pg_sleep(60)");
    awaitSleeps(2);
    long start = System.nanoTime();
    assertEquals(0, update(root, "DRAIN NODE"));

    String refused = failsWith("57P03", () -> f.connect("alice", "alice-pw"));
    assertTrue(refused.contains("the node is draining"), refused);
    failsWith("57P03", f::root);
    assertEquals(List.of("draining"), column(root, "SELECT state FROM "
        + "quell_internal.cluster_members"), "a single node lists itself draining");

    assertNull(finishing.get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
        "the 2 s query ran to its end during the drain");
    SQLException cancelled = overtime.get(DRAIN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("57014", cancelled.getSQLState(), cancelled.getMessage());
    assertTrue(cancelled.getMessage().contains("query execution canceled, message from the "
        + "canceler: \"node 1 is draining and its drain timeout of 6 s has passed\""),
        cancelled.getMessage());
    assertTrue(millis >= DRAIN_TIMEOUT.toMillis() - 500 && millis < DRAIN_TIMEOUT.toMillis()
        + 5_000, "cancelled " + millis + " ms after the drain began");

    // Then the sessions end (what their later calls read: NodeDrainTest) and the node stops.
    f.server.stopped().get(10, TimeUnit.SECONDS);
    assertTrue(f.server.engine().registry().sessions().isEmpty());

    // The audit outlives the node: the next start on the same data reads it back.
    f.close();
    f = new ServerFixture(config());
    assertEquals(List.of(List.of("node", "QUERY", "bob", "SHUTDOWN",
            "node 1 is draining and its drain timeout of 6 s has passed")),
        rows(f.root(), "SELECT canceled_by, target, target_user, cause, message "
            + "FROM quell_internal.cancellations"));
  }

  @Test void aNodeWithNothingRunningStopsAtOnce() throws Exception {
    f.connect("alice", "alice-pw");
    long start = System.nanoTime();
    update(root, "DRAIN NODE");
    f.server.stopped().get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < DRAIN_TIMEOUT.toMillis() / 2, "stopped after " + millis + " ms");
  }

  @Test void onlyAnAdminMayDrainAndARefusalDrainsNothing() throws Exception {
    Connection alice = f.connect("alice", "alice-pw");
    String msg = failsWith("42501", () -> update(alice, "DRAIN NODE"));
    assertTrue(msg.contains("user alice does not have admin privilege to drain the node"), msg);
    assertFalse(f.server.engine().drain().draining());
    assertEquals(List.of("up"), column(root, "SELECT state FROM "
        + "quell_internal.cluster_members"));
    f.connect("bob", "bob-pw");
  }

  private void awaitSleeps(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (column(root, "SELECT query_id FROM (SHOW QUERIES) AS q WHERE query LIKE "
        + "'%pg_sleep%' AND phase = 'executing'").size() != count) {
      assertTrue(System.nanoTime() < deadline, "never " + count + " running sleeps");
      Thread.sleep(25);
    }
  }

  /** Runs {@code sql} to its last row on another thread; its error, or null. */
  private static CompletableFuture<SQLException> run(Connection c, String sql) {
    return CompletableFuture.supplyAsync(() -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rs.getObject(1);
        }
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
  }
}
