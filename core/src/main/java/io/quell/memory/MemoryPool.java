package io.quell.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget for what queries hold ({@code --max-sql-memory}): every query's account
 * draws from it in chunks, so the node knows its total at any moment and no set of queries
 * together holds more than the budget.
 */
public final class MemoryPool {
  private final long limit;
  private final boolean accounting;
  private volatile long lastRefusalNanos;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong stoppedByLimit = new AtomicLong();
  private final AtomicLong stoppedByGuard = new AtomicLong();

  /**
   * A pool of {@code limit} bytes; without {@code accounting} operators reserve nothing (the
   * baseline the accounting's overhead is measured against, and the unprotected control).
   */
  public MemoryPool(long limit, boolean accounting) {
    if (limit <= 0) {
      throw new IllegalArgumentException("a memory pool of " + limit + " bytes");
    }
    this.limit = limit;
    this.accounting = accounting;
  }

  /** Whether operators account for what they hold. */
  public boolean accounting() {
    return accounting;
  }

  /** {@link System#nanoTime} when a reservation was last refused; 0 before the first. */
  public long lastRefusalNanos() {
    return lastRefusalNanos;
  }

  public long limit() {
    return limit;
  }

  /** Bytes the accounts of running queries hold from the pool now. */
  public long used() {
    return used.get();
  }

  /** The most {@link #used} has been since the node started. */
  public long peak() {
    return peak.get();
  }

  /** Queries stopped because they reached their own limit or the pool's. */
  public long stoppedByLimit() {
    return stoppedByLimit.get();
  }

  /** Queries the heap guard stopped. */
  public long stoppedByGuard() {
    return stoppedByGuard.get();
  }

  /** Takes {@code bytes} from the pool; false, taking nothing, if that would pass its limit. */
  boolean tryTake(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    peak.accumulateAndGet(now + bytes, Math::max);
    return true;
  }

  /** Takes {@code bytes} whatever the limit: for what must never be refused. */
  void force(long bytes) {
    peak.accumulateAndGet(used.addAndGet(bytes), Math::max);
  }

  void giveBack(long bytes) {
    used.addAndGet(-bytes);
  }

  void countStoppedByLimit() {
    lastRefusalNanos = System.nanoTime();
    stoppedByLimit.incrementAndGet();
  }

  void countStoppedByGuard() {
    stoppedByGuard.incrementAndGet();
  }
}
