package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Properties;

/**
 * Figure 7: what the embedded mode ({@code QuellNode.connect}, the engine behind
 * {@code jdbc:quell:embedded:}) costs against plain Calcite on the same schema factory and
 * scale in the same JVM, per statement: a trivial query (the per-statement path), a 150,000-row
 * fetch (the per-row path) and TPC-H Q1 (the query itself). Batches interleave
 * ({@link TrackingOverhead#compare}); medians are compared.
 */
final class EmbeddedOverhead {
  /** The scale at which lineitem has about 150,000 rows. */
  static final double SCALE = 0.025;
  static final String FETCH_150K = "SELECT l_orderkey, l_partkey, l_quantity, l_shipdate "
      + "FROM lineitem";

  /** Median ms per statement, Quell embedded then plain Calcite, for each query. */
  record Result(Stats[] simple, Stats[] fetch, Stats[] q1, long fetchRows) {
  }

  private EmbeddedOverhead() {
  }

  static Result measure(Path dir, String password) throws Exception {
    try (QuellNode node = QuellNode.start(EngineConfig.builder().dataDir(dir)
        .scaleFactor(SCALE).rootPassword(password).build());
         Connection quell = node.connect(QuellEngine.DEFAULT_USER, new Properties());
         Connection plain = PlainCalcite.connect(SCALE)) {
      Stats[] simple = TrackingOverhead.compare(quell, plain, TrackingOverhead.SIMPLE, 20, 40,
          200);
      Stats[] fetch = TrackingOverhead.compare(quell, plain, FETCH_150K, 3, 12, 1);
      Stats[] q1 = TrackingOverhead.compare(quell, plain, TpchQueries.Q1.sql(), 3, 12, 1);
      long rows = Long.parseLong(CancelAnywhere.single(quell,
          "SELECT COUNT(*) FROM lineitem"));
      return new Result(simple, fetch, q1, rows);
    }
  }
}
