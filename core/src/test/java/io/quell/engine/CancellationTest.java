package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Cancels that really stop work: by statement, by timeout, by idle timeout, audited. */
@Timeout(120)
class CancellationTest {
  /** Joins line items to orders on a condition no index helps: minutes of CPU, no row. */
  static final String CPU_BOUND = "SELECT l.l_returnflag, COUNT(*) FROM lineitem l, orders o "
      + "WHERE l.l_orderkey + o.o_orderkey < 0 GROUP BY l.l_returnflag";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    // A model, as --model would give: small TPC-H as default schema, scale 1 beside it.
    Path model = dir.resolve("model.json");
    java.nio.file.Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"tpch\","
        + " \"schemas\": [" + tpch("tpch", 0.01) + ", " + tpch("tpch_sf1", 1) + "]}");
    f = new EngineFixture(EngineConfig.builder().dataDir(dir.resolve("data")).model(model));
    root = f.connect("root");
    update(root, "CREATE USER alice");
  }

  @AfterEach void stop() {
    f.close();
  }

  private static String tpch(String name, double scale) {
    return "{\"name\": \"" + name + "\", \"type\": \"custom\", \"factory\": "
        + "\"io.quell.sample.TpchSchemaFactory\", \"operand\": {\"scale\": " + scale + "}}";
  }

  /** Runs {@code sql} on its own thread; the future holds the error it ended with. */
  private static Running start(Connection c, String sql) {
    AtomicReference<Thread> thread = new AtomicReference<>();
    CompletableFuture<SQLException> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        rows(c, sql);
        done.complete(null);
      } catch (SQLException e) {
        done.complete(e);
      }
    }, "victim");
    thread.set(t);
    t.start();
    return new Running(t, done);
  }

  record Running(Thread thread, CompletableFuture<SQLException> error) {
  }

  private String waitForQuery(String like) throws Exception {
    for (int i = 0; i < 200; i++) {
      List<Object> ids = column(root, "SELECT query_id FROM (SHOW QUERIES) AS q "
          + "WHERE query LIKE '" + like + "' AND query NOT LIKE '%SHOW QUERIES%' "
          + "AND phase = 'executing'");
      if (!ids.isEmpty()) {
        return (String) ids.get(0);
      }
      Thread.sleep(25);
    }
    throw new AssertionError("query did not show up");
  }

  /** Aggregates generated TPC-H line items at scale 1: six million rows, seconds of CPU. */
  static final String BIG_AGGREGATION = "SELECT l_returnflag, l_linestatus, COUNT(*), "
      + "SUM(l_extendedprice * (1 - l_discount)) FROM tpch_sf1.lineitem "
      + "GROUP BY l_returnflag, l_linestatus";

  @Test void cancelStopsACpuBoundAggregationPromptly() throws Exception {
    Connection alice = f.connect("alice");
    // The first TPC-H scan of a JVM builds the generator's text pool: about 3 s inside the
    // library, where no cancel check can reach. A running server has long paid for it.
    assertEquals(List.of(0L), column(root, "SELECT COUNT(*) FROM lineitem WHERE l_orderkey < 0"));
    Running victim = start(alice, BIG_AGGREGATION);
    String queryId = waitForQuery("%tpch_sf1.lineitem%");
    // A warm server: the first CANCEL of a JVM pays for class loading.
    assertEquals(0, update(root, "CANCEL QUERY IF EXISTS '1530fe0e46d2692e0000000000000001'"));
    Thread.sleep(1000);
    assertTrue(victim.thread().isAlive(), "the query must still be running");
    assertEquals(1, update(root, "CANCEL QUERY '" + queryId + "'"));
    long cancelled = System.nanoTime();
    SQLException error = victim.error().get(5, TimeUnit.SECONDS);
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
    victim.thread().join(1000);
    assertFalse(victim.thread().isAlive(), "the executing thread must stop");
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertTrue(error.getMessage().contains("query execution canceled"), error.getMessage());
    assertTrue(latencyMs < 1000, "stopped after " + latencyMs + " ms");
    // the session lives on, and the query is gone from SHOW QUERIES
    assertEquals(List.of(1), column(alice, "SELECT 1"));
    assertTrue(column(root, "SELECT query_id FROM quell_internal.node_queries").stream()
        .noneMatch(queryId::equals));
  }

  @Test void cancelSessionStopsItsQueryAndEndsIt() throws Exception {
    Connection alice = f.connect("alice");
    String session = sessionId(alice);
    Running victim = start(alice, CPU_BOUND);
    waitForQuery("%l_orderkey + o.o_orderkey%");
    assertEquals(1, update(root, "CANCEL SESSION '" + session + "'"));
    SQLException error = victim.error().get(5, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState());
    failsWith("57P01", () -> rows(alice, "SELECT 1"));
  }

  @Test void statementTimeoutCancelsThroughTheSamePath() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET statement_timeout = '300ms'");
    assertEquals(List.of("300ms"), column(alice, "SHOW statement_timeout"));
    long start = System.nanoTime();
    String msg = failsWith("57014", () -> rows(alice, CPU_BOUND));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(msg.contains("statement timeout"), msg);
    assertTrue(ms < 2000, "took " + ms + " ms");
    update(alice, "RESET statement_timeout");
    assertEquals(List.of("0"), column(alice, "SHOW statement_timeout"));
    assertEquals(List.of(true), column(alice, "SELECT pg_sleep(0.05)"));
  }

  @Test void pgSleepIsCancellable() throws Exception {
    Connection alice = f.connect("alice");
    Running victim = start(alice, "SELECT pg_sleep(60)");
    String id = waitForQuery("SELECT pg_sleep(60)");
    update(root, "CANCEL QUERY '" + id + "'");
    assertEquals("57014", victim.error().get(5, TimeUnit.SECONDS).getSQLState());
  }

  @Test void idleInSessionTimeoutEndsIdleSessions() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET idle_in_session_timeout TO '300ms'");
    Thread.sleep(1200);
    failsWith("57P01", () -> rows(alice, "SELECT 1"));
  }

  @Test void everyCancellationIsAudited() throws Exception {
    Connection alice = f.connect("alice");
    String session = sessionId(alice);
    update(root, "CANCEL SESSION '" + session + "'");
    List<List<Object>> audit = rows(root, "SELECT canceled_by, target, target_id, target_user, "
        + "cause FROM quell_internal.cancellations");
    assertEquals(List.of(List.of("root", "SESSION", session, "alice", "STATEMENT")), audit);
    Connection other = f.connect("alice");
    failsWith("42501", () -> rows(other, "SELECT * FROM quell_internal.cancellations"));
  }
}
