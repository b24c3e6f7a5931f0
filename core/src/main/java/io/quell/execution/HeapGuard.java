package io.quell.execution;

import io.quell.memory.ByteSize;
import io.quell.session.RunningQuery;

import com.sun.management.GarbageCollectionNotificationInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Stops the query holding most when the heap runs low, for what memory accounts miss (a value
 * that grows inside an accumulator, a library's buffers): after each garbage collection it
 * reads what the old generation still holds, and while that stays above its threshold of the
 * max heap it stops the query with the largest account (by allocation rate where accounts
 * tie), one at a time, never a session-control statement. Without it a heap filled by one
 * query leaves the node alive but deaf, CANCEL included.
 */
public final class HeapGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeapGuard.class);
  /** How long a stopped query is given to let go before the guard may stop another. */
  private static final long GRACE_NANOS = 2_000_000_000L;

  private final double threshold;
  private final Supplier<Collection<RunningQuery>> queries;
  private final Predicate<RunningQuery> exempt;
  private final BiConsumer<RunningQuery, String> stop;
  private final List<Registration> registrations = new ArrayList<>();
  private RunningQuery lastVictim;
  private long lastStopNanos;
  private volatile long oldGenerationAfterGc = -1;

  /**
   * A guard acting above {@code threshold} (a share of the max heap) that picks among
   * {@code queries}, never one {@code exempt} says is session control, and stops it through
   * {@code stop} with the message its client reads.
   */
  public HeapGuard(double threshold, Supplier<Collection<RunningQuery>> queries,
      Predicate<RunningQuery> exempt, BiConsumer<RunningQuery, String> stop) {
    this.threshold = threshold;
    this.queries = queries;
    this.exempt = exempt;
    this.stop = stop;
  }

  /** Starts listening to the JVM's collections; the guard then acts on its own. */
  public HeapGuard start() {
    List<String> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
        .map(MemoryPoolMXBean::getName).toList();
    // A generational collector's old generation; a single-pool one's heap (ZGC's ZHeap).
    Optional<String> oldGeneration = heap.stream()
        .filter(name -> name.contains("Old") || name.contains("Tenured")).findFirst()
        .or(() -> heap.size() == 1 ? Optional.of(heap.get(0)) : Optional.empty());
    if (oldGeneration.isEmpty()) {
      LOG.warn("no old generation among the JVM's memory pools: the heap guard is off");
      return this;
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        NotificationListener listener = (notification, handback) ->
            collected(notification, oldGeneration.get());
        emitter.addNotificationListener(listener, null, null);
        registrations.add(new Registration(emitter, listener));
      }
    }
    return this;
  }

  private void collected(Notification notification, String oldGeneration) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(notification.getType())) {
      return;
    }
    Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo
        .from((CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageAfterGc();
    MemoryUsage old = after.get(oldGeneration);
    if (old != null) {
      oldGenerationAfterGc = old.getUsed();
      check(old.getUsed(), Runtime.getRuntime().maxMemory());
    }
  }

  /** What the old generation held after the last collection; -1 before the first. */
  public long oldGenerationAfterGc() {
    return oldGenerationAfterGc;
  }

  /**
   * Acts on one reading: {@code used} bytes of the old generation after a collection, of a
   * {@code max} heap. Returns the query it stopped, if any.
   */
  public synchronized Optional<RunningQuery> check(long used, long max) {
    if (used <= threshold * max) {
      return Optional.empty();
    }
    if (lastVictim != null && lastVictim.cancelCause() != null
        && queries.get().contains(lastVictim)
        && System.nanoTime() - lastStopNanos < GRACE_NANOS) {
      return Optional.empty(); // the last one is still letting go
    }
    Optional<RunningQuery> victim = queries.get().stream()
        .filter(q -> q.cancelCause() == null && !exempt.test(q))
        .max(Comparator.comparingLong((RunningQuery q) -> q.memory().held())
            .thenComparingDouble(HeapGuard::allocationRate));
    victim.ifPresent(q -> {
      String message = String.format(Locale.ROOT, "query stopped because the node is low on "
          + "memory (%s of its %s heap in use after garbage collection, above %.0f%%); this "
          + "query held the most (%s accounted)", ByteSize.format(used), ByteSize.format(max),
          threshold * 100, ByteSize.format(q.memory().held()));
      LOG.warn("heap guard: {} (query {})", message, q.id());
      lastVictim = q;
      lastStopNanos = System.nanoTime();
      stop.accept(q, message);
    });
    return victim;
  }

  private static double allocationRate(RunningQuery q) {
    double seconds = Math.max(1e-3,
        (System.currentTimeMillis() - q.start().toEpochMilli()) / 1000.0);
    return q.allocatedBytes() / seconds;
  }

  @Override public void close() {
    for (Registration r : registrations) {
      try {
        r.emitter().removeNotificationListener(r.listener());
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
    registrations.clear();
  }

  private record Registration(NotificationEmitter emitter, NotificationListener listener) {
  }
}
