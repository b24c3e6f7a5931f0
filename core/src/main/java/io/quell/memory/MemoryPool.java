package io.quell.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget for what queries hold ({@code --max-sql-memory}): every query's account
 * draws from it in chunks, so the node knows its total at any moment and no set of queries
 * together holds more than the budget.
 */
public final class MemoryPool {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong stoppedByLimit = new AtomicLong();
  private final AtomicLong stoppedByGuard = new AtomicLong();

  public MemoryPool(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("a memory pool of " + limit + " bytes");
    }
    this.limit = limit;
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

  void giveBack(long bytes) {
    used.addAndGet(-bytes);
  }

  void countStoppedByLimit() {
    stoppedByLimit.incrementAndGet();
  }

  void countStoppedByGuard() {
    stoppedByGuard.incrementAndGet();
  }
}
