package io.quell.benchmarks;

import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Figure 1d: what Quell's cancel checks cost on TPC-H Q1, a scan-and-aggregate query that
 * passes every row through them. The same JVM runs Q1 with the checks on and off, interleaved
 * (see {@link TrackingOverhead#compare}), and compares the medians of the CPU time of the
 * thread that runs it: on a shared 2-core machine wall time swings by a third between runs
 * (0.75 and 1.01 in two quick runs), while both sides run Q1 in the caller's thread (the
 * embedded transport is in-process and synchronous), so its CPU time is the query's.
 */
final class CheckOverhead {
  private static final int WARM_UP = 2;

  private CheckOverhead() {
  }

  /** CPU ms of each run of Q1 with the checks on ([0]) and off ([1]). */
  static Stats[] q1(QuellNode engine, double scale, int runs) throws Exception {
    try (Connection on = engine.connect(QuellEngine.DEFAULT_USER, new Properties());
         Connection off = checksOff(engine, scale)) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      return TrackingOverhead.compare(on, off, TpchQueries.Q1.sql(), WARM_UP, runs, 1,
          threads::getCurrentThreadCpuTime);
    }
  }

  /**
   * The hook point for the "checks off" variant: a connection to the same rows in this JVM
   * that differs from {@code engine}'s only in having no cancel checks. The engine has no
   * switch for them yet, so today this is plain Calcite over the same schema factory and
   * scale, which also leaves out Quell's session tracking and in-process Avatica (about
   * 0.1 ms a statement, figure 2a, against Q1's hundreds). Once the engine has a switch,
   * return a Quell connection with it off here: {@code engine.connect(user, properties)} for
   * a session setting or connection property; for an engine setting, a second engine started
   * with it, closed with the connection.
   */
  static Connection checksOff(QuellNode engine, double scale) throws SQLException {
    return PlainCalcite.connect(scale);
  }
}
