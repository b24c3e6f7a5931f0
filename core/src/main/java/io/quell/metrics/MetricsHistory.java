package io.quell.metrics;

import io.quell.execution.Cancellations;
import io.quell.memory.MemoryPool;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.SessionRegistry;
import io.quell.session.StatementOutcome;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The last hour of the node's metrics in samples of {@link #INTERVAL}, for the console's
 * charts: statements per second by outcome, running and queued queries, the p99 latency, SQL
 * memory and cancels by cause. Each sample is the difference of the counters since the one
 * before, so keeping it costs the statement path nothing; the p99 is read from the latency
 * histogram's buckets, as Prometheus' {@code histogram_quantile} reads them (the bound of the
 * bucket it falls in).
 */
public final class MetricsHistory {
  public static final Duration INTERVAL = Duration.ofSeconds(10);
  /** An hour of samples. */
  static final int SAMPLES = (int) (Duration.ofHours(1).toMillis() / INTERVAL.toMillis());

  /** One sample: rates per second over its interval, levels at its end. */
  public record Sample(long timeMillis, double okPerSecond, double errorsPerSecond,
      double canceledPerSecond, long running, long queued, double p99Seconds,
      long sqlMemoryBytes, Map<String, Long> cancels) {
  }

  /** The counters at one moment, from which the next sample is the difference. */
  private record Counts(long nanos, Map<StatementOutcome, Double> statements,
      long finished, CountAtBucket[] latency, Map<CancelCause, Long> cancels) {
  }

  private final Map<StatementOutcome, Counter> statements;
  private final Timer latency;
  private final SessionRegistry sessions;
  private final Cancellations cancellations;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private Counts last;

  MetricsHistory(Map<StatementOutcome, Counter> statements, Timer latency,
      SessionRegistry sessions, Cancellations cancellations) {
    this.statements = statements;
    this.latency = latency;
    this.sessions = sessions;
    this.cancellations = cancellations;
    this.last = counts();
  }

  /** Takes the sample of the interval that ends now; the engine calls this every interval. */
  public synchronized void sample() {
    Counts now = counts();
    samples.addLast(between(last, now));
    last = now;
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
  }

  /** The samples of the last hour, oldest first, and one of the interval still running. */
  public synchronized List<Sample> samples() {
    List<Sample> all = new ArrayList<>(samples);
    Counts now = counts();
    if (now.nanos() - last.nanos() >= TimeUnit.MILLISECONDS.toNanos(500)) {
      all.add(between(last, now));
    }
    return all;
  }

  private Counts counts() {
    Map<StatementOutcome, Double> byOutcome = new EnumMap<>(StatementOutcome.class);
    statements.forEach((outcome, counter) -> byOutcome.put(outcome, counter.count()));
    Map<CancelCause, Long> cancels = new EnumMap<>(CancelCause.class);
    for (CancelCause cause : CancelCause.values()) {
      cancels.put(cause, cancellations.count(cause));
    }
    HistogramSnapshot snapshot = latency.takeSnapshot();
    return new Counts(System.nanoTime(), byOutcome, snapshot.count(),
        snapshot.histogramCounts(), cancels);
  }

  private Sample between(Counts from, Counts to) {
    double seconds = Math.max(1e-3, (to.nanos() - from.nanos()) / 1e9);
    Map<String, Long> cancels = new LinkedHashMap<>();
    to.cancels().forEach((cause, count) -> {
      long delta = count - from.cancels().get(cause);
      if (delta > 0) {
        cancels.put(cause.name().toLowerCase(Locale.ROOT), delta);
      }
    });
    long running = 0;
    long queued = 0;
    for (RunningQuery q : sessions.queries()) {
      if (q.isStatement() && !q.session().isInternal()) {
        if (q.phase() == RunningQuery.Phase.QUEUED) {
          queued++;
        } else {
          running++;
        }
      }
    }
    MemoryPool pool = sessions.memory();
    return new Sample(System.currentTimeMillis(),
        rate(from, to, StatementOutcome.OK, seconds),
        rate(from, to, StatementOutcome.ERROR, seconds),
        rate(from, to, StatementOutcome.CANCELED, seconds), running, queued,
        p99(to.finished() - from.finished(), from.latency(), to.latency()), pool.used(),
        cancels);
  }

  private static double rate(Counts from, Counts to, StatementOutcome outcome, double seconds) {
    return (to.statements().get(outcome) - from.statements().get(outcome)) / seconds;
  }

  /**
   * The upper bound of the bucket that holds the 99th percentile of the {@code finished}
   * statements between two snapshots of the cumulative buckets; 0 if none finished, the
   * largest bound if it lies beyond every bucket.
   */
  private static double p99(long finished, CountAtBucket[] from, CountAtBucket[] to) {
    if (finished <= 0) {
      return 0;
    }
    double bound = 0;
    for (int i = 0; i < to.length; i++) {
      bound = to[i].bucket(TimeUnit.SECONDS);
      if (to[i].count() - from[i].count() >= 0.99 * finished) {
        break;
      }
    }
    return bound;
  }
}
