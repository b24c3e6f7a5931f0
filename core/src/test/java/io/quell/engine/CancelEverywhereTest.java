package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.session.RunningQuery;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cancel stops any query at any moment of its life, as PostgreSQL's CHECK_FOR_INTERRUPTS
 * does: the TPC-H queries and queries of shapes that keep working on materialized rows (nested
 * loops over DISTINCT inputs, windows, sorts, set operations, correlates, hash-join builds),
 * cancelled while being prepared, as soon as they execute and later, and by statement_timeout.
 * Every victim fails with 57014 within 1 s, its thread stops using CPU, nothing is left behind.
 */
@Timeout(600)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelEverywhereTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  /** The work of a query with no cancel check in it would take this long at least. */
  private static final long LONG_QUERY = 2 * SECOND;
  /**
   * How long a TPC-H query may run to measure its run time; longer ones are stopped there by
   * statement_timeout (the planning-heavy ones while planning: seconds of join reordering).
   */
  private static final long BASELINE_LIMIT = SECOND;

  /**
   * Shapes whose work happens over rows no scan produces, each seconds of CPU at scale 0.01.
   * The planner is free in how it implements them; the point is that whatever it chooses
   * stops.
   */
  static final Map<String, String> IN_MEMORY = new LinkedHashMap<>();

  static {
    IN_MEMORY.put("non-equi join of DISTINCT subqueries", "SELECT COUNT(*) FROM "
        + "(SELECT DISTINCT l_orderkey FROM lineitem) a, "
        + "(SELECT DISTINCT o_orderkey FROM orders) b WHERE a.l_orderkey + b.o_orderkey < 0");
    IN_MEMORY.put("window over a sort", "SELECT MAX(s) FROM (SELECT SUM(l_quantity) OVER "
        + "(ORDER BY l_extendedprice ROWS BETWEEN 20000 PRECEDING AND 20000 FOLLOWING) AS s "
        + "FROM lineitem) AS w");
    IN_MEMORY.put("big DISTINCT", "SELECT COUNT(*) FROM (SELECT DISTINCT "
        + "o_orderkey * 1000 + c_custkey, o_comment FROM orders, customer "
        + "WHERE c_custkey < 100) AS d");
    IN_MEMORY.put("big sort", "SELECT o_orderkey, c_custkey FROM orders, customer "
        + "WHERE c_custkey < 100 ORDER BY o_totalprice * c_acctbal, o_comment "
        + "OFFSET 1499990 ROWS");
    IN_MEMORY.put("top-N sort", "SELECT o_orderkey, c_custkey FROM orders, customer "
        + "WHERE c_custkey < 100 ORDER BY o_totalprice * c_acctbal, o_comment LIMIT 5");
    IN_MEMORY.put("UNION", "SELECT COUNT(*) FROM (SELECT o_orderkey * 1000 + c_custkey FROM "
        + "orders, customer WHERE c_custkey < 100 UNION SELECT l_orderkey * 1000 + l_suppkey "
        + "FROM lineitem) AS u");
    IN_MEMORY.put("EXCEPT", "SELECT COUNT(*) FROM (SELECT o_orderkey * 1000 + c_custkey FROM "
        + "orders, customer WHERE c_custkey < 100 EXCEPT SELECT l_orderkey * 1000 + l_suppkey "
        + "FROM lineitem) AS e");
    IN_MEMORY.put("INTERSECT", "SELECT COUNT(*) FROM (SELECT o_orderkey * 1000 + c_custkey "
        + "FROM orders, customer WHERE c_custkey < 100 INTERSECT SELECT l_orderkey * 1000 "
        + "+ l_suppkey FROM lineitem) AS i");
    IN_MEMORY.put("correlated subquery", "SELECT COUNT(*) FROM orders o WHERE o_totalprice > "
        + "(SELECT SUM(l_extendedprice) FROM lineitem l WHERE l.l_orderkey > o.o_orderkey "
        + "AND l.l_orderkey < o.o_orderkey + 3000)");
    IN_MEMORY.put("lateral top-1", "SELECT COUNT(*) FROM orders o, LATERAL (SELECT l_quantity "
        + "FROM lineitem l WHERE l.l_orderkey > o.o_orderkey ORDER BY l_quantity LIMIT 1) x");
    IN_MEMORY.put("hash-join build", "SELECT COUNT(*) FROM (SELECT o_orderkey * 1000 + "
        + "c_custkey AS k FROM orders, customer WHERE c_custkey < 100) a "
        + "JOIN (SELECT o_orderkey * 1000 + c_custkey AS k FROM orders, customer "
        + "WHERE c_custkey < 100) b ON a.k = b.k");
  }

  /** Twelve tables joined on keys: seconds in the planner, little work afterwards. */
  static final String TWELVE_WAY_JOIN = "SELECT COUNT(*) FROM lineitem l, orders o, "
      + "customer c, nation n1, region r1, supplier s, nation n2, region r2, part p, "
      + "partsupp ps, nation n3, region r3 WHERE l.l_orderkey = o.o_orderkey "
      + "AND o.o_custkey = c.c_custkey AND c.c_nationkey = n1.n_nationkey "
      + "AND n1.n_regionkey = r1.r_regionkey AND l.l_suppkey = s.s_suppkey "
      + "AND s.s_nationkey = n2.n_nationkey AND n2.n_regionkey = r2.r_regionkey "
      + "AND l.l_partkey = p.p_partkey AND ps.ps_partkey = l.l_partkey "
      + "AND ps.ps_suppkey = l.l_suppkey AND n3.n_nationkey = r3.r_regionkey "
      + "AND n3.n_nationkey = s.s_nationkey";

  /** When the cancel is sent. */
  enum Moment {
    /** As soon as the query is registered, before its plan runs. */
    PREPARING,
    /** Half a second into its preparation, if it is still being prepared (planned). */
    PLANNING,
    /** As soon as its plan runs. */
    EXECUTING,
    /** After it has run for a while. */
    LATE
  }

  @TempDir static Path dir;
  EngineFixture f;
  Connection root;
  Connection alice;

  @BeforeAll void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    alice = f.connect("alice");
    // Every run goes through parsing, planning and compiling, which a cached plan skips: a
    // cancel on a plan from the cache is PlanCacheTest's.
    update(alice, "SET plan_cache = off");
    // The generator's text pool and the engine's first plans, paid before any timing.
    assertEquals(List.of(0L), column(alice, "SELECT COUNT(*) FROM lineitem WHERE l_orderkey < 0"));
    update(root, "CANCEL QUERY IF EXISTS '1530fe0e46d2692e0000000000000001'");
  }

  @AfterAll void stop() {
    f.close();
  }

  /** The 22 TPC-H queries, each cancelled at every moment that comes before its end. */
  @Test void everyTpchQueryStopsWhenCancelled() throws Exception {
    List<String> missed = new ArrayList<>();
    int hits = 0;
    for (int i = 0; i < TpchQueries.ALL.size(); i++) {
      String sql = TpchQueries.ALL.get(i);
      long baseline = runTime(sql);
      for (Moment moment : List.of(Moment.PREPARING, Moment.EXECUTING, Moment.LATE)) {
        if (cancelAt(sql, moment, baseline)) {
          hits++;
        } else {
          missed.add("Q" + (i + 1) + " " + moment);
        }
      }
    }
    // A query that ends before the cancel arrives is no failure, but most must be caught.
    assertTrue(hits >= TpchQueries.ALL.size() * 2, "only " + hits + " hits; missed " + missed);
  }

  /** Shapes that work over materialized rows, cancelled early and late. */
  @Test void inMemoryWorkStopsWhenCancelled() throws Exception {
    for (Map.Entry<String, String> shape : IN_MEMORY.entrySet()) {
      for (Moment moment : List.of(Moment.EXECUTING, Moment.LATE)) {
        assertTrue(cancelAt(shape.getValue(), moment, LONG_QUERY),
            shape.getKey() + " ended before the cancel " + moment);
      }
    }
  }

  /** A cancel while the planner works takes effect within 1 s, not when planning ends. */
  @Test void planningStopsWhenCancelled() throws Exception {
    assertTrue(cancelAt(TWELVE_WAY_JOIN, Moment.PLANNING, LONG_QUERY),
        "planned in less than half a second");
  }

  /**
   * A query cancelled while its rows are computed (here in the projection, by pg_sleep) fails,
   * and closing it then releases the plan without failing again.
   */
  @Test void cancelledResultClosesCleanly() throws Exception {
    assertTrue(cancelAt("SELECT n_name, pg_sleep(0.2) FROM nation", Moment.LATE, LONG_QUERY));
  }

  /**
   * A client's prepare plans too, and its planning is a query of its own: listed as
   * preparing, stopped by CANCEL QUERY and by statement_timeout, with nothing left behind.
   */
  @Test void preparedStatementPlanningStops() throws Exception {
    String timeouts = "SELECT COUNT(*) FROM quell_internal.cancellations "
        + "WHERE target_user = 'alice' AND cause = 'TIMEOUT'";
    CompletableFuture<SQLException> prepare = CompletableFuture.supplyAsync(() -> {
      try {
        alice.prepareStatement(TWELVE_WAY_JOIN).close();
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
    String id = null;
    for (int i = 0; i < 400 && id == null && !prepare.isDone(); i++) {
      List<Object> ids = column(root, "SELECT query_id FROM (SHOW QUERIES) AS q "
          + "WHERE user_name = 'alice' AND phase = 'preparing'");
      id = ids.isEmpty() ? null : (String) ids.get(0);
      Thread.sleep(5);
    }
    assertNotNull(id, "the prepare was not listed while planning");
    // at once: a warm JVM plans the join in a few hundred milliseconds
    assertEquals(1, update(root, "CANCEL QUERY IF EXISTS '" + id + "'"),
        "planning ended before the cancel");
    long cancelled = System.nanoTime();
    SQLException error = prepare.get(5, TimeUnit.SECONDS);
    assertNotNull(error, "planning ended before the cancel");
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertTrue(System.nanoTime() - cancelled < SECOND, "stopped after "
        + (System.nanoTime() - cancelled) / 1_000_000 + " ms");

    long timeoutsBefore = (long) column(root, timeouts).get(0);
    update(alice, "SET statement_timeout = '50ms'");
    long start = System.nanoTime();
    SQLException timeout = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> alice.prepareStatement(TWELVE_WAY_JOIN).close());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    update(alice, "RESET statement_timeout");
    assertEquals("57014", timeout.getSQLState(), timeout.getMessage());
    assertTrue(timeout.getMessage().contains("canceled"), timeout.getMessage());
    // The audit tells the CANCEL from the timeout.
    assertEquals(List.of(List.of("root", "STATEMENT")), rows(root, "SELECT canceled_by, cause "
        + "FROM quell_internal.cancellations WHERE target_id = '" + id + "'"));
    assertEquals(timeoutsBefore + 1, (long) column(root, timeouts).get(0));
    assertTrue(ms < 1050, "took " + ms + " ms");
    assertEquals(List.of(), column(root, "SELECT query FROM quell_internal.node_queries "
        + "WHERE user_name = 'alice'"));
    assertEquals(List.of(1), column(alice, "SELECT 1"));
  }

  /** The statement timeout stops the same shapes through the same path, also in planning. */
  @Test void statementTimeoutStopsEveryShape() throws Exception {
    List<String> sqls = new ArrayList<>(IN_MEMORY.values());
    sqls.add(TWELVE_WAY_JOIN);
    for (String sql : sqls) {
      for (long timeoutMs : new long[] {20, 400}) {
        update(alice, "SET statement_timeout = '" + timeoutMs + "ms'");
        Victim victim = Victim.start(alice, sql);
        SQLException error = within(victim,
            TimeUnit.MILLISECONDS.toNanos(timeoutMs) + SECOND, "timeout " + timeoutMs + ": " + sql);
        assertNotNull(error, sql + " ended before its timeout");
        assertEquals("57014", error.getSQLState(), error.getMessage());
        assertTrue(error.getMessage().contains("due to statement timeout"), error.getMessage());
        assertStopped(victim);
      }
    }
    update(alice, "RESET statement_timeout");
  }

  /** Run time of {@code sql} uncancelled, at most {@link #BASELINE_LIMIT}, then stopped. */
  private long runTime(String sql) throws Exception {
    update(alice, "SET statement_timeout = '" + TimeUnit.NANOSECONDS.toMillis(BASELINE_LIMIT)
        + "ms'");
    try {
      long start = System.nanoTime();
      Victim victim = Victim.start(alice, sql);
      SQLException error = within(victim, BASELINE_LIMIT + SECOND, "timeout: " + sql);
      long elapsed = System.nanoTime() - start;
      if (error != null) {
        assertEquals("57014", error.getSQLState(), error.getMessage());
        assertTrue(error.getMessage().contains("due to statement timeout"), error.getMessage());
        assertStopped(victim);
        return BASELINE_LIMIT;
      }
      victim.release();
      return elapsed;
    } finally {
      update(alice, "RESET statement_timeout");
    }
  }

  /**
   * Runs {@code sql} as alice and cancels it at {@code moment}; returns false if it ended
   * before the cancel found it. {@code runTime} places the late moment.
   */
  private boolean cancelAt(String sql, Moment moment, long runTime) throws Exception {
    Victim victim = Victim.start(alice, sql);
    RunningQuery query = awaitQuery(victim, moment, runTime);
    if (query == null) {
      victim.error().get(LONG_QUERY, TimeUnit.NANOSECONDS);
      victim.release();
      return false;
    }
    if (update(root, "CANCEL QUERY IF EXISTS '" + query.id() + "'") == 0) {
      victim.error().get(LONG_QUERY, TimeUnit.NANOSECONDS);
      victim.release();
      return false;
    }
    SQLException error = within(victim, SECOND, "cancelled " + moment + ": " + sql);
    assertNotNull(error, () -> "a cancelled query succeeded (" + moment + "): " + sql);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertTrue(error.getMessage().contains("query execution canceled"), error.getMessage());
    assertStopped(victim);
    return true;
  }

  /**
   * Alice's query once it is at {@code moment}, or null if it ended first. Watches the
   * registry, whose phase SHOW QUERIES shows, to place the cancel within a millisecond.
   */
  private RunningQuery awaitQuery(Victim victim, Moment moment, long runTime)
      throws InterruptedException {
    long seenSince = 0;
    long executingSince = 0;
    while (!victim.error().isDone()) {
      RunningQuery query = f.engine().registry().queries().stream()
          .filter(q -> q.session().user().equals("alice")).findFirst().orElse(null);
      if (query != null) {
        boolean executing = query.phase() == RunningQuery.Phase.EXECUTING;
        if (seenSince == 0) {
          seenSince = System.nanoTime();
        }
        if (executing && executingSince == 0) {
          executingSince = System.nanoTime();
        }
        switch (moment) {
          case PREPARING -> {
            return executing ? null : query;
          }
          case PLANNING -> {
            if (executing) {
              return null;
            }
            if (System.nanoTime() - seenSince > SECOND / 2) {
              return query;
            }
          }
          case EXECUTING -> {
            if (executing) {
              return query;
            }
          }
          case LATE -> {
            if (executing && System.nanoTime() - executingSince > runTime / 3) {
              return query;
            }
          }
          default -> throw new AssertionError(moment);
        }
      }
      Thread.onSpinWait();
    }
    return null;
  }

  /** How {@code victim} ended, if it did within {@code nanos}. */
  private static SQLException within(Victim victim, long nanos, String what) throws Exception {
    try {
      SQLException error = victim.error().get(nanos, TimeUnit.NANOSECONDS);
      if (error != null) {
        // Closing the failed statement (try-with-resources) must not fail too.
        assertEquals(List.of(), List.of(error.getSuppressed()), what);
      }
      return error;
    } catch (TimeoutException e) {
      throw new AssertionError("still running " + nanos / 1_000_000 + " ms later: " + what);
    }
  }

  /** The victim's thread uses no more CPU, and neither its query nor its session linger. */
  private void assertStopped(Victim victim) throws Exception {
    long cpu = THREADS.getThreadCpuTime(victim.thread().getId());
    Thread.sleep(200);
    long more = THREADS.getThreadCpuTime(victim.thread().getId()) - cpu;
    victim.release();
    assertTrue(more < TimeUnit.MILLISECONDS.toNanos(50),
        "the victim's thread used " + more / 1_000_000 + " ms of CPU after failing");
    List<List<Object>> left = rows(root, "SELECT query_id, query FROM "
        + "quell_internal.node_queries WHERE query NOT LIKE '%node_queries%'");
    assertEquals(List.of(), left, "queries left behind");
    assertEquals(List.of(2L), column(root, "SELECT COUNT(*) FROM (SHOW SESSIONS) AS s"),
        "sessions: root's and alice's");
    assertEquals(List.of(1), column(alice, "SELECT 1"));
  }

  /**
   * A query running on a thread of its own, as an embedded client runs it: on the calling
   * thread. The thread stays alive, idle, until released, so that its CPU time can be read.
   */
  record Victim(Thread thread, CompletableFuture<SQLException> error, CountDownLatch done) {
    static Victim start(Connection c, String sql) {
      CompletableFuture<SQLException> error = new CompletableFuture<>();
      CountDownLatch done = new CountDownLatch(1);
      Thread t = new Thread(() -> {
        try {
          rows(c, sql);
          error.complete(null);
        } catch (SQLException e) {
          error.complete(e);
        } catch (AvaticaClientRuntimeException e) {
          // Avatica's client raises the failure of a later fetch (a cancel while the client
          // reads a result of several frames) unchecked, with the SQLSTATE inside.
          error.complete(new SQLException(e.getMessage(), e.getSqlState(), e));
        } catch (RuntimeException e) {
          error.completeExceptionally(e);
        }
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "victim");
      t.start();
      return new Victim(t, error, done);
    }

    void release() throws InterruptedException {
      done.countDown();
      thread.join(1000);
    }
  }
}
