package io.quell.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node-local hybrid logical clock: readings track wall time in nanoseconds but never repeat and
 * never go backwards, even when the wall clock does or when many readings fall in one tick.
 * That uniqueness is what makes an {@link ActivityId} unique per node without a counter table.
 */
public final class HybridLogicalClock {
  private final AtomicLong last = new AtomicLong();

  public long now() {
    long wall = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    return last.accumulateAndGet(wall, (prev, w) -> Math.max(prev + 1, w));
  }
}
