package io.quell.sample;

import io.quell.execution.QueryCanceledException;
import io.quell.execution.QueryThread;

import org.apache.calcite.linq4j.function.NonDeterministic;

import java.math.BigDecimal;

/**
 * {@code pg_sleep(seconds)}, PostgreSQL's way to make a query that runs for a while, for
 * demonstrating cancellation. It sleeps in short slices and stops as soon as its statement is
 * cancelled.
 */
public final class Sleep {
  private static final long SLICE_MILLIS = 5;

  private Sleep() {
  }

  @NonDeterministic
  public static boolean pgSleep(BigDecimal seconds) {
    long end = System.nanoTime() + (long) (seconds.doubleValue() * 1e9);
    while (System.nanoTime() < end) {
      if (QueryThread.isCanceled()) {
        throw new QueryCanceledException();
      }
      try {
        Thread.sleep(Math.max(0, Math.min(SLICE_MILLIS, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueryCanceledException();
      }
    }
    return true;
  }
}
