package io.quell.benchmarks;

import io.quell.benchmarks.TpchQueries.Query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Figure 1, cancel anywhere: each victim query is cancelled at a random moment of its life,
 * uniform within its typical uncancelled duration on that system (so for Quell also while it
 * is parsed and planned), and timed from sending the cancel to the victim failing with 57014.
 * The same queries, the same sequence of moments (as fractions of the typical duration) and
 * the same protocol for every system; only how a victim is found and cancelled differs.
 */
final class CancelAnywhere {
  /** The same moments on every system. */
  private static final long SEED = 42;

  /**
   * Uncancelled runs per query, whose median is its typical duration, after one that is not
   * counted: the first run of a query on a fresh engine compiles it, and in the first system
   * of a JVM it runs through cold code (Q1 took 1.2 s there and 0.5 s on the next system).
   */
  private static final int TYPICAL_RUNS = 3;

  /** How long a victim may go on after its cancel before it counts as lost. */
  private static final long LOST_AFTER_SECONDS = 60;

  /**
   * Cancels that find nothing, sent before any run on every system alike, so that each is
   * measured as a server that has been running for a while. A fresh JVM runs CANCEL through
   * interpreted code for its first few hundred statements: over HTTP, send-to-stop p50 was
   * 11.0 ms for its first 40 cancels and 4.1 ms after 3,000 (measured on this tree).
   */
  private static final int WARM_UP_CANCELS = 2_000;

  /** Victims run here, not in the common pool, whose size is cores - 1 (one thread here). */
  private static final ExecutorService VICTIMS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "victim");
    t.setDaemon(true);
    return t;
  });

  /** Every cancel of one system, and the same split by query. */
  record Result(Stats all, Map<String, Stats> byQuery, Map<String, Double> typicalMillis) {
  }

  /** How one system finds a victim's running statement and cancels it. */
  interface Path {
    /** Sends cancels that find nothing. */
    void warmUp() throws SQLException;

    /**
     * Waits until the canceller sees {@code victim}'s statement running and returns how to
     * cancel it, or null if the victim ended first.
     */
    Cancel find(Statement victim, CompletableFuture<Outcome> outcome) throws Exception;
  }

  /** Sends a cancel of the victim's running statement. */
  @FunctionalInterface
  interface Cancel {
    void send() throws SQLException;
  }

  /** How a victim ended: when, and with which SQLSTATE (null: it returned its rows). */
  record Outcome(long endedNanos, String sqlState, int rows, String message) {
  }

  private CancelAnywhere() {
  }

  /** {@code CANCEL QUERY '<id>'} from {@code canceller}, or the victim's Statement.cancel(). */
  static Path quell(Connection victim, Connection canceller, boolean statementCancel)
      throws SQLException {
    String session = single(victim, "SHOW session_id");
    return new Path() {
      @Override public void warmUp() throws SQLException {
        Random random = new Random(SEED);
        for (int i = 0; i < WARM_UP_CANCELS; i++) {
          if (statementCancel) {
            try (Statement idle = victim.createStatement()) {
              idle.cancel();
            }
          } else {
            cancelQuery(canceller, String.format(Locale.ROOT, "%016x%016x",
                random.nextLong(), 99L));
          }
        }
      }

      @Override public Cancel find(Statement statement, CompletableFuture<Outcome> outcome)
          throws Exception {
        try (PreparedStatement ps = canceller.prepareStatement("SELECT query_id FROM "
            + "quell_internal.node_queries WHERE session_id = ?")) {
          ps.setString(1, session);
          String id = poll(ps, outcome);
          return id == null ? null
              : statementCancel ? statement::cancel : () -> cancelQuery(canceller, id);
        }
      }
    };
  }

  /**
   * {@code pg_cancel_backend(pid)} from {@code canceller}, or the victim's Statement.cancel()
   * (pgjdbc's CancelRequest).
   */
  static Path postgres(Connection victim, Connection canceller, boolean statementCancel)
      throws SQLException {
    int pid = Integer.parseInt(single(victim, "SELECT pg_backend_pid()"));
    return new Path() {
      @Override public void warmUp() throws SQLException {
        for (int i = 0; i < WARM_UP_CANCELS; i++) {
          if (statementCancel) {
            try (Statement idle = victim.createStatement()) {
              idle.cancel();
            }
          } else {
            // no such backend: a warning and false, as an unknown id is for Quell
            cancelBackend(canceller, -1);
          }
        }
      }

      @Override public Cancel find(Statement statement, CompletableFuture<Outcome> outcome)
          throws Exception {
        try (PreparedStatement ps = canceller.prepareStatement(
            "SELECT pid FROM pg_stat_activity WHERE pid = ? AND state = 'active'")) {
          ps.setInt(1, pid);
          return poll(ps, outcome) == null ? null
              : statementCancel ? statement::cancel : () -> cancelBackend(canceller, pid);
        }
      }
    };
  }

  /**
   * The median of uncancelled runs of each query on {@code victim}, in ms, and the number of
   * rows each returned (a check that both systems hold the same data).
   */
  static Map<String, Double> typicalMillis(Connection victim, List<Query> queries,
      Map<String, Integer> rows) throws Exception {
    Map<String, Double> typical = new LinkedHashMap<>();
    for (Query query : queries) {
      Stats runs = new Stats();
      for (int i = -1; i < TYPICAL_RUNS; i++) {
        try (Statement statement = victim.createStatement()) {
          CompletableFuture<Long> started = new CompletableFuture<>();
          Outcome o = run(statement, query.sql(), started).get();
          if (o.sqlState() != null) {
            throw new IllegalStateException(query.name() + " failed: " + o.message());
          }
          if (i >= 0) {
            runs.add((o.endedNanos() - started.get()) / 1e6);
          }
          rows.put(query.name(), o.rows());
        }
      }
      typical.put(query.name(), runs.median());
    }
    return typical;
  }

  /**
   * Cancels victims until {@code runs} of them have been timed (or three times as many were
   * tried), taking the queries in turn.
   */
  static Result measure(Connection victim, Path path, List<Query> queries,
      Map<String, Double> typicalMillis, int runs) throws Exception {
    path.warmUp();
    Stats all = new Stats();
    Map<String, Stats> byQuery = new LinkedHashMap<>();
    queries.forEach(q -> byQuery.put(q.name(), new Stats()));
    Random random = new Random(SEED);
    List<String> errors = new ArrayList<>();
    for (int attempt = 0; all.count() < runs && attempt < 3 * runs; attempt++) {
      Query query = queries.get(attempt % queries.size());
      long delay = (long) (random.nextDouble() * typicalMillis.get(query.name()) * 1e6);
      Stats one = new Stats();
      try (Statement statement = victim.createStatement()) {
        CompletableFuture<Long> started = new CompletableFuture<>();
        CompletableFuture<Outcome> outcome = run(statement, query.sql(), started);
        long moment = started.get() + delay;
        Cancel cancel = path.find(statement, outcome);
        while (!outcome.isDone() && System.nanoTime() < moment) {
          LockSupport.parkNanos(Math.min(moment - System.nanoTime(), 1_000_000));
        }
        if (cancel == null || outcome.isDone()) {
          classify(outcome.get(), Long.MAX_VALUE, one, errors);
        } else {
          long sent = System.nanoTime();
          cancel.send();
          try {
            classify(outcome.get(LOST_AFTER_SECONDS, TimeUnit.SECONDS), sent, one, errors);
          } catch (TimeoutException e) {
            one.lost();
            cancel.send();
            outcome.get();
          }
        }
      }
      byQuery.get(query.name()).addAll(one);
      all.addAll(one);
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " victims failed otherwise than "
          + "with 57014, first: " + errors.get(0));
    }
    return new Result(all, byQuery, typicalMillis);
  }

  private static void classify(Outcome o, long sent, Stats stats, List<String> errors) {
    if (o.sqlState() == null) {
      if (o.endedNanos() < sent) {
        stats.finishedFirst();
      } else {
        stats.ranOn((o.endedNanos() - sent) / 1e6);
      }
    } else if (o.sqlState().equals("57014") && sent != Long.MAX_VALUE) {
      stats.add((o.endedNanos() - sent) / 1e6);
    } else {
      errors.add(o.sqlState() + " " + o.message());
    }
  }

  /** Runs {@code sql} on a victim thread, completing {@code started} just before it starts. */
  private static CompletableFuture<Outcome> run(Statement statement, String sql,
      CompletableFuture<Long> started) {
    return CompletableFuture.supplyAsync(() -> {
      started.complete(System.nanoTime());
      int rows = 0;
      try (ResultSet rs = statement.executeQuery(sql)) {
        while (rs.next()) {
          rows++;
        }
        return new Outcome(System.nanoTime(), null, rows, null);
      } catch (SQLException e) {
        return new Outcome(System.nanoTime(), e.getSQLState(), rows, e.getMessage());
      }
    }, VICTIMS);
  }

  /**
   * The first column of {@code ps}'s first row, asked every millisecond until there is one;
   * null once the victim has ended.
   */
  private static String poll(PreparedStatement ps, CompletableFuture<Outcome> outcome)
      throws Exception {
    while (!outcome.isDone()) {
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getString(1);
        }
      }
      Thread.sleep(1);
    }
    return null;
  }

  private static void cancelQuery(Connection canceller, String id) throws SQLException {
    try (Statement s = canceller.createStatement()) {
      // IF EXISTS: the victim may have finished since it was found
      s.executeUpdate("CANCEL QUERY IF EXISTS '" + id + "'");
    }
  }

  private static void cancelBackend(Connection canceller, int pid) throws SQLException {
    try (PreparedStatement cancel = canceller.prepareStatement("SELECT pg_cancel_backend(?)")) {
      cancel.setInt(1, pid);
      cancel.executeQuery().close();
    }
  }

  static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
