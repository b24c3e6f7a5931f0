package io.quell.metrics;

import java.time.Duration;

/**
 * What a node records of its statements besides its metrics: the statement statistics (on by
 * default; off only to measure what they cost), and the slow-query log of statements that
 * take at least {@code slowQueryThreshold} (zero: none), their text with constants hidden if
 * {@code redactSlowQueries}.
 */
public record MonitoringConfig(boolean statementStatistics, Duration slowQueryThreshold,
    boolean redactSlowQueries) {
  public static final MonitoringConfig DEFAULT =
      new MonitoringConfig(true, Duration.ZERO, false);

  public MonitoringConfig {
    if (slowQueryThreshold.isNegative()) {
      throw new IllegalArgumentException("the slow-query threshold must not be negative: "
          + slowQueryThreshold);
    }
  }
}
