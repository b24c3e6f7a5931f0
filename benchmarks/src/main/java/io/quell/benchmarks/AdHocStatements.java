package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Figure 8 (issue #19): what an ad-hoc statement, SQL text with its literals in it as BI tools
 * send it, costs on the embedded engine at scale 0.01 with the plan cache, against executing
 * the same statement prepared once with {@code ?}, and against the same text with
 * {@code plan_cache} off; and SHOW SESSIONS among 100 sessions, cached and not. The sides
 * alternate batch by batch in one run, so drift hits all alike; medians are compared.
 */
final class AdHocStatements {
  static final String TEXT = "SELECT COUNT(*) FROM nation WHERE n_nationkey >= ";
  static final int SESSIONS = 100;
  static final long WARM_UP_NANOS = 3_000_000_000L;

  /** Median ms per statement of each side. */
  record Result(Stats sameText, Stats varyingLiterals, Stats prepared, Stats uncached,
      Stats show, Stats showUncached) {
  }

  /** One statement of a side; {@code i} counts statements, for literals that vary. */
  @FunctionalInterface
  interface Side {
    void run(int i) throws SQLException;
  }

  private AdHocStatements() {
  }

  static Result measure(Path dir, String password, int batches, int perBatch) throws Exception {
    try (QuellNode node = QuellNode.start(EngineConfig.builder().dataDir(dir)
        .scaleFactor(0.01).rootPassword(password).build())) {
      List<Connection> sessions = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(node.connect(QuellEngine.DEFAULT_USER, new Properties()));
      }
      Connection cached = sessions.get(0);
      Connection uncached = sessions.get(1);
      try (Statement s = uncached.createStatement()) {
        s.execute("SET plan_cache = off");
      }
      try (PreparedStatement prepared = cached.prepareStatement(TEXT + "?")) {
        Side[] sides = {
            i -> run(cached, TEXT + "5"),
            i -> run(cached, TEXT + (i % 25)),
            i -> {
              prepared.setInt(1, i % 25);
              drain(prepared.executeQuery());
            },
            i -> run(uncached, TEXT + (i % 25)),
            i -> run(cached, "SHOW SESSIONS"),
            i -> run(uncached, "SHOW SESSIONS")};
        Stats[] stats = compare(sides, batches, perBatch, WARM_UP_NANOS);
        return new Result(stats[0], stats[1], stats[2], stats[3], stats[4], stats[5]);
      } finally {
        for (Connection c : sessions) {
          c.close();
        }
      }
    }
  }

  /**
   * Median ms per statement of each side after a warm-up of each, batches in turn, each
   * round led by the next side. The warm-up runs each side for {@code warmUpNanos}: with a
   * single batch, the ad-hoc sides' longer code path was still being compiled while measured
   * (8b read 5.2x prepared after one batch of 50, 2x after seconds of warm-up).
   */
  static Stats[] compare(Side[] sides, int batches, int perBatch, long warmUpNanos)
      throws SQLException {
    Stats[] stats = new Stats[sides.length];
    for (int s = 0; s < sides.length; s++) {
      stats[s] = new Stats();
      long end = System.nanoTime() + warmUpNanos;
      while (System.nanoTime() < end) {
        batch(sides[s], perBatch);
      }
    }
    for (int b = 0; b < batches; b++) {
      for (int k = 0; k < sides.length; k++) {
        int s = (b + k) % sides.length;
        stats[s].add(batch(sides[s], perBatch));
      }
    }
    return stats;
  }

  private static double batch(Side side, int n) throws SQLException {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      side.run(i);
    }
    return (System.nanoTime() - start) / 1e6 / n;
  }

  /** {@code sql} as an ad-hoc statement: a statement of its own, every row read. */
  static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      drain(s.executeQuery(sql));
    }
  }

  static void drain(ResultSet rs) throws SQLException {
    try (rs) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }
}
