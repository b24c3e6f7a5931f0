package io.quell.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Figure 1: from sending a cancel to the victim's statement failing, while the victim is busy
 * in an aggregation that has produced no row. The same measurement for Quell (CANCEL QUERY
 * from a second connection, and Statement.cancel()) and for PostgreSQL (pg_cancel_backend).
 */
final class CancelLatency {
  static final String QUELL_CPU_BOUND = "SELECT l.l_returnflag, COUNT(*) FROM lineitem l, "
      + "orders o WHERE l.l_orderkey + o.o_orderkey < 0 GROUP BY l.l_returnflag";
  static final String PG_CPU_BOUND =
      "SELECT count(*) FROM generate_series(1, 2000000000) a WHERE a % 7 = 3";

  /** Victims run here, not in the common pool, whose size is cores - 1 (one thread here). */
  private static final java.util.concurrent.ExecutorService VICTIMS =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "victim");
        t.setDaemon(true);
        return t;
      });

  /**
   * Runs before the measured ones, on both systems alike: the first cancels of a JVM run
   * through cold code (interpreted, then compiled) and would stand for the JIT in the p99.
   */
  private static final int WARM_UP = 5;

  /**
   * Cancels that find nothing, sent before any run on both systems alike, so that both are
   * measured as servers that have been running for a while. A fresh JVM runs CANCEL through
   * interpreted code for its first few hundred statements: over HTTP, send-to-stop p50 was
   * 11.0 ms for its first 40 cancels and 4.1 ms after 3,000 (measured on this tree).
   */
  private static final int WARM_UP_CANCELS = 2_000;

  private CancelLatency() {
  }

  /** Cancels by {@code CANCEL QUERY} from {@code canceller}, or by Statement.cancel(). */
  static Stats quell(Connection victim, Connection canceller, boolean statementCancel, int runs)
      throws Exception {
    String session = single(victim, "SHOW session_id");
    Random random = new Random(42);
    for (int i = 0; i < WARM_UP_CANCELS; i++) {
      if (statementCancel) {
        try (Statement idle = victim.createStatement()) {
          idle.cancel();
        }
      } else {
        cancelQuery(canceller, "IF EXISTS '"
            + String.format(Locale.ROOT, "%016x%016x", random.nextLong(), 99L) + "'");
      }
    }
    return measure(victim, QUELL_CPU_BOUND, runs, statement -> {
      String queryId = awaitQuery(canceller, session);
      return () -> {
        if (statementCancel) {
          statement.cancel();
        } else {
          cancelQuery(canceller, "'" + queryId + "'");
        }
      };
    });
  }

  static Stats postgres(Connection victim, Connection canceller, int runs) throws Exception {
    int pid = Integer.parseInt(single(victim, "SELECT pg_backend_pid()"));
    for (int i = 0; i < WARM_UP_CANCELS; i++) {
      // no such backend: a warning and false, as an unknown id is for Quell
      cancelBackend(canceller, -1);
    }
    return measure(victim, PG_CPU_BOUND, runs, statement -> {
      awaitPostgresActive(canceller, pid);
      return () -> cancelBackend(canceller, pid);
    });
  }

  private static void cancelQuery(Connection canceller, String target) throws SQLException {
    try (Statement s = canceller.createStatement()) {
      s.executeUpdate("CANCEL QUERY " + target);
    }
  }

  private static void cancelBackend(Connection canceller, int pid) throws SQLException {
    try (PreparedStatement cancel = canceller.prepareStatement("SELECT pg_cancel_backend(?)")) {
      cancel.setInt(1, pid);
      cancel.executeQuery().close();
    }
  }

  /** Sends a cancel of the victim's running statement. */
  @FunctionalInterface
  private interface Cancel {
    void send() throws Exception;
  }

  /** Waits until the victim's query runs and returns how to cancel it. */
  @FunctionalInterface
  private interface Target {
    Cancel await(Statement victim) throws Exception;
  }

  /**
   * One protocol for both systems: start the CPU-bound query, wait until it runs, let it run
   * 100 ms more, cancel, and time until the victim fails. A victim still running 5 s after the
   * cancel counts as a lost cancel (reported, not timed) and is cancelled again.
   */
  private static Stats measure(Connection victim, String sql, int runs, Target target)
      throws Exception {
    Stats stats = new Stats();
    for (int i = -WARM_UP; i < runs; i++) {
      try (Statement statement = victim.createStatement()) {
        CompletableFuture<Long> failedAt = failure(statement, sql);
        Cancel cancel = target.await(statement);
        Thread.sleep(100);
        long sent = System.nanoTime();
        cancel.send();
        try {
          long failed = failedAt.get(5, TimeUnit.SECONDS);
          if (i >= 0) {
            stats.add((failed - sent) / 1e6);
          }
        } catch (java.util.concurrent.TimeoutException e) {
          stats.lost();
          cancel.send();
          failedAt.get(30, TimeUnit.SECONDS);
        }
      }
    }
    return stats;
  }

  /** Runs {@code sql}; completes with the nanoTime at which it failed with 57014. */
  private static CompletableFuture<Long> failure(Statement statement, String sql) {
    return CompletableFuture.supplyAsync(() -> {
      try (ResultSet rs = statement.executeQuery(sql)) {
        throw new IllegalStateException("the query was not cancelled");
      } catch (SQLException e) {
        long at = System.nanoTime();
        if (!"57014".equals(e.getSQLState())) {
          throw new IllegalStateException("unexpected failure " + e.getSQLState(), e);
        }
        return at;
      }
    }, VICTIMS);
  }

  private static String awaitQuery(Connection viewer, String session) throws Exception {
    for (int i = 0; i < 2000; i++) {
      try (PreparedStatement ps = viewer.prepareStatement("SELECT query_id FROM "
          + "quell_internal.node_queries WHERE session_id = ? AND phase = 'executing'")) {
        ps.setString(1, session);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("query never started");
  }

  private static void awaitPostgresActive(Connection viewer, int pid) throws Exception {
    for (int i = 0; i < 2000; i++) {
      try (PreparedStatement ps = viewer.prepareStatement(
          "SELECT 1 FROM pg_stat_activity WHERE pid = ? AND state = 'active'")) {
        ps.setInt(1, pid);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("query never started");
  }

  static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
