package io.quell.metrics;

import io.quell.session.RunningQuery;
import io.quell.session.StatementOutcome;

import org.HdrHistogram.IntCountsHistogram;

import java.util.concurrent.TimeUnit;

/**
 * The statistics of one statement fingerprint run by one user: counts, times and a recent
 * example of its text. The latencies' percentiles come from a histogram of microseconds with
 * one significant digit (its values within 1/16 of the truth), which stays about a kilobyte
 * however many statements it counts.
 */
public final class StatementStats {
  /** A copy at one moment, as {@code quell_internal.statement_statistics} shows it. */
  public record Snapshot(String fingerprint, String user, String query, long calls, long rows,
      long errors, long canceled, double totalMillis, double maxMillis, double p99Millis,
      long firstSeenMillis, long lastSeenMillis) {
    public double meanMillis() {
      return calls == 0 ? 0 : totalMillis / calls;
    }
  }

  private final String fingerprint;
  private final String user;
  private final long firstSeenMillis = System.currentTimeMillis();
  private final IntCountsHistogram micros = new IntCountsHistogram(1);
  private String query;
  private long calls;
  private long rows;
  private long errors;
  private long canceled;
  private long totalNanos;
  private long maxNanos;
  private long lastSeenMillis;

  StatementStats(String fingerprint, String user) {
    this.fingerprint = fingerprint;
    this.user = user;
  }

  synchronized void add(RunningQuery query, long nanos) {
    this.query = query.sql();
    calls++;
    rows += query.rows();
    StatementOutcome outcome = query.outcome();
    if (outcome == StatementOutcome.ERROR) {
      errors++;
    } else if (outcome == StatementOutcome.CANCELED) {
      canceled++;
    }
    totalNanos += nanos;
    maxNanos = Math.max(maxNanos, nanos);
    micros.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
    lastSeenMillis = System.currentTimeMillis();
  }

  synchronized Snapshot snapshot() {
    // The histogram's bucket ends above the true value; the maximum is exact.
    double p99 = Math.min(micros.getValueAtPercentile(99) / 1e3, maxNanos / 1e6);
    return new Snapshot(fingerprint, user, query, calls, rows, errors, canceled,
        totalNanos / 1e6, maxNanos / 1e6, p99, firstSeenMillis, lastSeenMillis);
  }
}
