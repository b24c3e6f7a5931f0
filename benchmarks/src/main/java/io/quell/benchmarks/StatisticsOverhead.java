package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;
import io.quell.metrics.MonitoringConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;

/**
 * Figure 12 (issue #32): what the statement statistics cost an ad-hoc statement, figure 8b's
 * (a varying literal, embedded, scale 0.01), on a node that keeps them against one started
 * with them off; the metrics are kept on both. The sides alternate batch by batch in one run
 * after figure 8's warm-up; medians are compared.
 */
final class StatisticsOverhead {
  /** Median ms per statement with the statistics kept, and without. */
  record Result(Stats on, Stats off) {
  }

  private StatisticsOverhead() {
  }

  static Result measure(Path dir, String password, int batches, int perBatch) throws Exception {
    try (QuellNode on = start(dir.resolve("on"), password, true);
         QuellNode off = start(dir.resolve("off"), password, false);
         Connection withStatistics = on.connect(QuellEngine.DEFAULT_USER, new Properties());
         Connection without = off.connect(QuellEngine.DEFAULT_USER, new Properties())) {
      AdHocStatements.Side[] sides = {
          i -> AdHocStatements.run(withStatistics, AdHocStatements.TEXT + (i % 25)),
          i -> AdHocStatements.run(without, AdHocStatements.TEXT + (i % 25))};
      Stats[] stats = AdHocStatements.compare(sides, batches, perBatch,
          AdHocStatements.WARM_UP_NANOS);
      return new Result(stats[0], stats[1]);
    }
  }

  private static QuellNode start(Path dir, String password, boolean statistics)
      throws Exception {
    return QuellNode.start(EngineConfig.builder().dataDir(dir).scaleFactor(0.01)
        .rootPassword(password)
        .monitoring(new MonitoringConfig(statistics, Duration.ZERO, false)).build());
  }
}
