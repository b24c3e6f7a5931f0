package io.quell.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;

/**
 * Figure 2: what sessions, authentication and query tracking cost per statement. The same
 * client (Avatica's stock remote driver) against the Quell server and against a plain Avatica
 * server over plain Calcite with the same schema, alternating batches in one JVM run.
 */
final class TrackingOverhead {
  static final String SIMPLE = "SELECT 1";
  static final String FETCH_10K =
      "SELECT l_orderkey, l_partkey, l_quantity, l_shipdate FROM lineitem LIMIT 10000";

  private TrackingOverhead() {
  }

  /**
   * Median ms per statement for {@code sql} on each connection. Both warm up for
   * {@code warmUpBatches} first, so that the JIT has compiled both paths, then batches
   * alternate, each pair in turn led by the other side, so that drift hits both alike.
   */
  static Stats[] compare(Connection quell, Connection plain, String sql, int warmUpBatches,
      int batches, int perBatch) throws SQLException {
    return compare(quell, plain, sql, warmUpBatches, batches, perBatch, System::nanoTime);
  }

  /** The same, timed by {@code clock} (in nanoseconds), e.g. the calling thread's CPU time. */
  static Stats[] compare(Connection quell, Connection plain, String sql, int warmUpBatches,
      int batches, int perBatch, LongSupplier clock) throws SQLException {
    Stats q = new Stats();
    Stats p = new Stats();
    for (int b = 0; b < warmUpBatches; b++) {
      batch(quell, sql, perBatch, clock);
      batch(plain, sql, perBatch, clock);
    }
    for (int b = 0; b < batches; b++) {
      if (b % 2 == 0) {
        q.add(batch(quell, sql, perBatch, clock));
        p.add(batch(plain, sql, perBatch, clock));
      } else {
        p.add(batch(plain, sql, perBatch, clock));
        q.add(batch(quell, sql, perBatch, clock));
      }
    }
    return new Stats[] {q, p};
  }

  private static double batch(Connection c, String sql, int n, LongSupplier clock)
      throws SQLException {
    long start = clock.getAsLong();
    for (int i = 0; i < n; i++) {
      run(c, sql);
    }
    return (clock.getAsLong() - start) / 1e6 / n;
  }

  private static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }
}
