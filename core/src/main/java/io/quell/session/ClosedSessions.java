package io.quell.session;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions of this node that ended within the retention, at most {@code limit} of them,
 * oldest dropped first. Sessions end in time order, so the oldest is always at the head and
 * both bounds trim from there; no lock on the session path.
 */
public final class ClosedSessions {
  /** The product defaults: an hour of history, bounded so that a login storm cannot fill the heap. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);
  public static final int DEFAULT_LIMIT = 10_000;

  private final long retentionMillis;
  private final int limit;
  private final Deque<ClosedSession> closed = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  /** {@code retention} and {@code limit} are not negative (EngineConfig sees to it). */
  public ClosedSessions(Duration retention, int limit) {
    this.retentionMillis = retention.toMillis();
    this.limit = limit;
  }

  void add(ClosedSession session) {
    if (retentionMillis == 0 || limit == 0) {
      return;
    }
    closed.addLast(session);
    if (size.incrementAndGet() > limit && closed.pollFirst() != null) {
      size.decrementAndGet();
    }
    expire();
  }

  /** The closed sessions still within the retention, oldest first. */
  public Collection<ClosedSession> list() {
    expire();
    return Collections.unmodifiableCollection(closed);
  }

  /** Drops what ended before the retention, so that history a quiet node never reads goes too. */
  private void expire() {
    long horizon = System.currentTimeMillis() - retentionMillis;
    for (ClosedSession oldest = closed.peekFirst(); oldest != null && oldest.endMillis() < horizon;
        oldest = closed.peekFirst()) {
      if (closed.remove(oldest)) {
        size.decrementAndGet();
      }
    }
  }
}
