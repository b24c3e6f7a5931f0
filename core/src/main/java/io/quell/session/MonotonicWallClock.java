package io.quell.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall-clock time in nanoseconds whose readings never repeat and never go backwards, even when
 * the wall clock does or when many readings fall in one tick: a reading is the wall time or one
 * more than the last, whichever is later. That uniqueness is what makes an {@link ActivityId}
 * unique per node without a counter table.
 */
public final class MonotonicWallClock {
  private final AtomicLong last = new AtomicLong();

  public long now() {
    long wall = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    return last.accumulateAndGet(wall, (prev, w) -> Math.max(prev + 1, w));
  }
}
