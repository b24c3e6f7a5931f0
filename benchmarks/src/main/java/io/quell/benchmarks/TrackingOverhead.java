package io.quell.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

  /** Median ms per statement for {@code sql} on each connection, batches interleaved. */
  static Stats[] compare(Connection quell, Connection plain, String sql, int batches,
      int perBatch) throws SQLException {
    Stats q = new Stats();
    Stats p = new Stats();
    for (int i = 0; i < perBatch; i++) {
      run(quell, sql);
      run(plain, sql);
    }
    for (int b = 0; b < batches; b++) {
      q.add(batch(quell, sql, perBatch));
      p.add(batch(plain, sql, perBatch));
    }
    return new Stats[] {q, p};
  }

  private static double batch(Connection c, String sql, int n) throws SQLException {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      run(c, sql);
    }
    return (System.nanoTime() - start) / 1e6 / n;
  }

  private static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }
}
