package io.quell.admission;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.memory.MemoryPool;
import io.quell.session.RunningQuery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's admission control, as a Trino resource group with one level of sub-groups per
 * user: at most {@code maxRunning} queries run at once, and at most its QUERY LIMIT of one
 * user's; the rest wait in one FIFO queue of at most {@code maxQueued}, beyond which a query is
 * refused at once with 53000. Whenever a slot frees, the queue is served in order of arrival,
 * skipping a query whose user is at its own limit, so that one user's backlog never holds up
 * another's queries. Optionally no query is admitted while the node's SQL memory pool is above
 * a soft limit (Trino's softMemoryLimit), unless none runs: the memory frees as queries end.
 *
 * <p>A query waits on its request thread; a cancel of any kind (CANCEL, statement_timeout, a
 * vanished client, a drain) wakes it and takes it out of the queue at once.
 */
public final class AdmissionControl {
  /** A limit that is not there. */
  public static final int UNLIMITED = -1;
  /** How often admission looks at the memory pool again while it holds queries for memory. */
  private static final long MEMORY_RECHECK_MILLIS = 50;

  private final MemoryPool pool;
  private final double memoryThreshold;
  private final ScheduledExecutorService timers;
  private final Deque<Waiter> queue = new ArrayDeque<>();
  private final Map<String, Integer> runningByUser = new HashMap<>();
  private int maxRunning;
  private int maxQueued;
  private int running;
  private long admitted;
  private long rejected;
  private long maxWaitNanos;
  private boolean heldForMemory;
  private boolean recheckArmed;
  /** Why no query may queue any more (the node drains); null while they may. */
  private String closed;
  /** The most {@code maxQueued} may be, and why (see {@link #capQueue}). */
  private int queueCap = Integer.MAX_VALUE;
  private String queueCapReason = "";

  /**
   * {@code memoryThreshold} is the share of {@code pool}'s limit above which new queries wait
   * (0: never); {@code timers} looks at the pool again while they do.
   */
  public AdmissionControl(int maxRunning, int maxQueued, MemoryPool pool,
      double memoryThreshold, ScheduledExecutorService timers) {
    checkLimits(maxRunning, maxQueued);
    if (memoryThreshold < 0 || memoryThreshold > 1) {
      throw new IllegalArgumentException("admission memory threshold " + memoryThreshold
          + ": expected a share of the SQL memory pool between 0 and 1");
    }
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.pool = pool;
    this.memoryThreshold = memoryThreshold;
    this.timers = timers;
  }

  /**
   * Admits {@code query} of {@code user}, whose QUERY LIMIT is {@code userLimit}, waiting in
   * the queue as long as it takes. Fails with 53000 if the queue is full, with 57P03 if the
   * node drains, and with 57014 (its cancel reason, which the front end reports) if the query
   * is cancelled while it waits. Its slot is given back when the query finishes.
   */
  public void admit(RunningQuery query, String user, int userLimit) {
    Waiter waiter = new Waiter(user, userLimit);
    query.holdAdmission(() -> release(waiter));
    synchronized (this) {
      queue.addLast(waiter);
      dispatch();
      if (waiter.granted) {
        query.admitted();
        return;
      }
      if (closed != null) {
        queue.remove(waiter);
        throw new QuellException(SqlState.CANNOT_CONNECT_NOW, closed);
      }
      if (queue.size() > maxQueued) {
        queue.remove(waiter);
        rejected++;
        throw new QuellException(SqlState.INSUFFICIENT_RESOURCES,
            "too many queries queued on this node (" + maxQueued + ")");
      }
    }
    try (RunningQuery.Registration wake = query.onCancel(() -> waiter.turn.complete(false))) {
      if (waiter.turn.get()) {
        query.admitted();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    release(waiter);
    // The cancel's reason, which the caller reports, says why; this only ends the wait.
    throw new QuellException(SqlState.QUERY_CANCELED, "query execution canceled while queued");
  }

  /** Changes the node's limits at run time; queries waiting are admitted if they now may. */
  public synchronized void setLimits(int maxRunning, int maxQueued) {
    checkLimits(maxRunning, maxQueued);
    checkCap(maxQueued);
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    dispatch();
  }

  /**
   * Bounds the queue for good at {@code cap}, for {@code reason}: a server whose waiting queries
   * each hold a request thread must keep threads free for CANCEL.
   */
  public synchronized void capQueue(int cap, String reason) {
    queueCap = cap;
    queueCapReason = reason;
    checkCap(maxQueued);
  }

  private void checkCap(int maxQueued) {
    if (maxQueued > queueCap) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE, "max_queued_queries "
          + maxQueued + ": at most " + queueCap + " here (" + queueCapReason + ")");
    }
  }

  /**
   * Refuses to queue from now on (the node drains): a query that cannot run at once fails
   * with 57P03 and {@code message}. Those already waiting are left to the drain to cancel.
   */
  public synchronized void close(String message) {
    closed = message;
  }

  /** The limits and counts as {@code quell_internal.node_admission} shows them. */
  public synchronized AdmissionStatus status() {
    Waiter oldest = queue.peekFirst();
    long oldestWait = oldest == null ? 0 : System.nanoTime() - oldest.since;
    return new AdmissionStatus(maxRunning, maxQueued, running, queue.size(), admitted,
        rejected, TimeUnit.NANOSECONDS.toMillis(oldestWait),
        TimeUnit.NANOSECONDS.toMillis(Math.max(maxWaitNanos, oldestWait)), heldForMemory);
  }

  private static void checkLimits(int maxRunning, int maxQueued) {
    if (maxRunning < 1 && maxRunning != UNLIMITED) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE, "max_running_queries "
          + maxRunning + ": expected a whole number of queries of at least 1, or -1 for no limit");
    }
    if (maxQueued < 0) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE, "max_queued_queries "
          + maxQueued + ": expected a whole number of queries, 0 for no queue");
    }
  }

  /** Gives back what {@code waiter} holds: its place in the queue, or its running slot. */
  private synchronized void release(Waiter waiter) {
    if (queue.remove(waiter)) {
      return;
    }
    if (waiter.granted && !waiter.released) {
      waiter.released = true;
      running--;
      runningByUser.merge(waiter.user, -1, (a, b) -> a + b == 0 ? null : a + b);
      dispatch();
    }
  }

  /** Admits waiting queries, oldest first, while the limits let them run. */
  private void dispatch() {
    heldForMemory = false;
    for (var it = queue.iterator(); it.hasNext() && !nodeFull(); ) {
      Waiter waiter = it.next();
      if (waiter.userLimit != UNLIMITED
          && runningByUser.getOrDefault(waiter.user, 0) >= waiter.userLimit) {
        continue;
      }
      if (memoryHigh()) {
        heldForMemory = true;
        recheckMemoryLater();
        return;
      }
      it.remove();
      waiter.granted = true;
      running++;
      runningByUser.merge(waiter.user, 1, Integer::sum);
      admitted++;
      maxWaitNanos = Math.max(maxWaitNanos, System.nanoTime() - waiter.since);
      // A waiter cancelled meanwhile finds its turn taken and gives the slot back itself.
      waiter.turn.complete(true);
    }
  }

  private boolean nodeFull() {
    return maxRunning != UNLIMITED && running >= maxRunning;
  }

  /** Above the soft limit while some query runs: one that ends will free memory. */
  private boolean memoryHigh() {
    return memoryThreshold > 0 && running > 0 && pool.used() > memoryThreshold * pool.limit();
  }

  private void recheckMemoryLater() {
    if (!recheckArmed) {
      recheckArmed = true;
      timers.schedule(() -> {
        synchronized (this) {
          recheckArmed = false;
          dispatch();
        }
      }, MEMORY_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** One query's place in the queue, then its running slot. */
  private static final class Waiter {
    final String user;
    final int userLimit;
    final long since = System.nanoTime();
    /** Completes true when it is admitted, false when its query is cancelled first. */
    final CompletableFuture<Boolean> turn = new CompletableFuture<>();
    boolean granted;
    boolean released;

    Waiter(String user, int userLimit) {
      this.user = user;
      this.userLimit = userLimit;
    }
  }
}
