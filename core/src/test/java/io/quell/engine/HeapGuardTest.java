package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.execution.HeapGuard;
import io.quell.session.RunningQuery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heap guard, fed readings of the old generation: below its threshold it does nothing;
 * above it, it stops the query holding most (not an idle one, not session control) with 53200,
 * audited as MEMORY, and the rest carry on.
 */
@Timeout(120)
class HeapGuardTest {
  /** A nested-loop join that holds its inner side (accounted) and runs for minutes. */
  private static final String HOLDER = "SELECT COUNT(*) FROM lineitem l, orders o "
      + "WHERE l.l_orderkey + o.o_orderkey < 0";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    update(root, "CREATE USER bob");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void aboveItsThresholdItStopsTheQueryHoldingMost() throws Exception {
    HeapGuard guard = f.engine().heapGuard().orElseThrow();
    long max = 1L << 30;
    CompletableFuture<SQLException> holder = run(f.connect("alice"), HOLDER);
    CompletableFuture<SQLException> sleeper = run(f.connect("bob"), "SELECT pg_sleep(30)");
    RunningQuery holding = awaitHolding("alice");

    assertEquals(Optional.empty(), guard.check((long) (0.80 * max), max),
        "below the threshold nothing is stopped");
    Optional<RunningQuery> victim = guard.check((long) (0.95 * max), max);
    assertEquals(Optional.of(holding), victim);

    SQLException error = holder.get(10, TimeUnit.SECONDS);
    assertNotNull(error, "the holder was stopped");
    assertEquals("53200", error.getSQLState(), error.getMessage());
    assertTrue(error.getMessage().contains("the node is low on memory"), error.getMessage());
    assertFalse(sleeper.isDone(), "bob's query carries on");
    assertEquals(List.of(List.of("alice", "MEMORY")), rows(root,
        "SELECT target_user, cause FROM quell_internal.cancellations"));
    assertEquals(List.of(1L), column(root,
        "SELECT queries_stopped_by_guard FROM quell_internal.node_memory"));
    assertEquals(0L, f.engine().memory().used(), "the stopped query let go of its account");
    update(root, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) AS q "
        + "WHERE user_name = 'bob')");
    sleeper.get(10, TimeUnit.SECONDS);
  }

  @Test void sessionControlIsNeverStopped() throws Exception {
    HeapGuard guard = f.engine().heapGuard().orElseThrow();
    CompletableFuture<SQLException> sleeper =
        run(f.connect("bob"), "SHOW SESSIONS /* a long listing */");
    sleeper.get(10, TimeUnit.SECONDS);
    // With only session control and idle sessions about, there is nothing to stop.
    assertEquals(Optional.empty(), guard.check(1L << 30, 1L << 30));
  }

  private RunningQuery awaitHolding(String user) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      for (RunningQuery q : f.engine().registry().queries()) {
        if (q.session().user().equals(user) && q.memory().held() > 0) {
          return q;
        }
      }
      Thread.sleep(25);
    }
    throw new AssertionError(user + "'s query never held memory");
  }

  private static CompletableFuture<SQLException> run(Connection c, String sql) {
    CompletableFuture<SQLException> done = new CompletableFuture<>();
    new Thread(() -> {
      try {
        rows(c, sql);
        done.complete(null);
      } catch (SQLException e) {
        done.complete(e);
      }
    }, "query of " + sql).start();
    return done;
  }
}
