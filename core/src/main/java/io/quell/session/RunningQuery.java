package io.quell.session;

import io.quell.memory.QueryMemory;
import io.quell.parser.DdlKeywords;
import io.quell.parser.text.QueryTags;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One statement while it runs in a session, from the moment it is received until its last row
 * is fetched or it fails. Cancelling raises the Calcite statement's cancel flag, which the
 * engine's scans poll, so the work stops even before a row is produced, and runs the cancel
 * hooks of work that waits elsewhere and never polls (a statement in another database).
 */
public final class RunningQuery {
  /**
   * The {@code phase} column of SHOW QUERIES. An executed statement is {@code QUEUED} until
   * admission control lets it run (at once, for most); a statement being prepared starts at
   * {@code PREPARING}.
   */
  public enum Phase {
    QUEUED, PREPARING, EXECUTING;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Object COMPLETED = new Object();
  /** What {@link #releaseAdmission} leaves behind: a later hold is given back at once. */
  private static final Runnable RELEASED = () -> { };

  private final ActivityId id;
  private final Session session;
  private final String sql;
  /** Its sqlcommenter tags, decoded once: SHOW lists them on every call. */
  private final String tags;
  private final Instant start;
  /** Whether it is an executed statement, not the planning of one a client prepares. */
  private final boolean statement;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;
  private volatile long rows;
  private volatile boolean failed;
  private final AtomicBoolean engineCancelFlag;
  /** How it ended: its CancelReason, or {@link #COMPLETED}; null while it may be cancelled. */
  private final AtomicReference<Object> ending = new AtomicReference<>();
  private final Set<Runnable> cancelHooks = ConcurrentHashMap.newKeySet();
  private final long threadId = Thread.currentThread().getId();
  private final long threadAllocAtStart = ThreadAllocation.bytes(threadId);
  private final QueryMemory memory;
  private volatile Phase phase;
  private volatile long updateCount = -1;
  /** What its statistics group it by, where its plan's lookup found it: a second lex saved. */
  private volatile String fingerprint;
  private volatile Future<?> timeout;
  /** Gives back its place in the admission queue or its running slot; null if it has none. */
  private final AtomicReference<Runnable> admission = new AtomicReference<>();

  RunningQuery(ActivityId id, Session session, String sql, Instant start,
      AtomicBoolean engineCancelFlag, long memoryLimit, Phase phase) {
    this.id = id;
    this.phase = phase;
    this.statement = phase == Phase.QUEUED;
    // Session control is never stopped for memory: it is what an operator needs most then.
    this.memory = session.registry().memoryAccount(this, memoryLimit,
        DdlKeywords.isSessionControl(sql));
    this.session = session;
    this.sql = sql;
    this.tags = QueryTags.of(sql);
    this.start = start;
    this.engineCancelFlag = engineCancelFlag;
  }

  public ActivityId id() {
    return id;
  }

  public Session session() {
    return session;
  }

  public String sql() {
    return sql;
  }

  /** Its sqlcommenter tags as {@code key=value,...}; empty if it has none. */
  public String tags() {
    return tags;
  }

  public Instant start() {
    return start;
  }

  /** Whether it is an executed statement; the planning of a prepared one is not. */
  public boolean isStatement() {
    return statement;
  }

  /** How long it ran: until now, or until its session finished it. */
  public long elapsedNanos() {
    long end = endNanos;
    return (end == 0 ? System.nanoTime() : end) - startNanos;
  }

  void ended() {
    endNanos = System.nanoTime();
  }

  /** Adds rows it returned to its client; called by the one thread reading them at a time. */
  public void addRows(long count) {
    rows += count;
  }

  /** The rows it returned to its client so far. */
  public long rows() {
    return rows;
  }

  /** Marks it failed with an error; a cancel still counts as the cancel. */
  public void markFailed() {
    failed = true;
  }

  /** How it ended, or how it would end now. */
  public StatementOutcome outcome() {
    if (cancelReason() != null) {
      return StatementOutcome.CANCELED;
    }
    return failed ? StatementOutcome.ERROR : StatementOutcome.OK;
  }

  /** The flag its statement's planners, operators and sources watch; cancelling raises it. */
  public AtomicBoolean cancelFlag() {
    return engineCancelFlag;
  }

  public Phase phase() {
    return phase;
  }

  public void executing() {
    phase = Phase.EXECUTING;
  }

  /** Admission control let it run (or it needs none): it goes on to be planned. */
  public void admitted() {
    phase = Phase.PREPARING;
  }

  /**
   * Ties {@code release}, which gives back what admission control holds for it (a place in
   * the queue, then a running slot), to the end of the query: it runs once, when the query
   * finishes, or at once if it has finished already.
   */
  public void holdAdmission(Runnable release) {
    if (!admission.compareAndSet(null, release)) {
      release.run();
    }
  }

  /** Runs the admission's release, if it holds one; later holds are released at once. */
  void releaseAdmission() {
    Runnable release = admission.getAndSet(RELEASED);
    if (release != null) {
      release.run();
    }
  }

  /** Its statement-statistics fingerprint if already known; null if not. */
  public String fingerprint() {
    return fingerprint;
  }

  public void setFingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  /**
   * The update count a session-control statement reports, or -1. Calcite's DDL path always
   * reports 0, so the statement's executor leaves the real count here for the server to send.
   */
  public long updateCount() {
    return updateCount;
  }

  public void setUpdateCount(long updateCount) {
    this.updateCount = updateCount;
  }

  /** Its memory account: what its operators hold, within its limit and the node's pool. */
  public QueryMemory memory() {
    return memory;
  }

  /**
   * Bytes the executing thread allocated since the query began: what the heap guard weighs
   * queries by when their accounts tie (a query whose holdings no operator accounts for).
   */
  public long allocatedBytes() {
    return Math.max(0, ThreadAllocation.bytes(threadId) - threadAllocAtStart);
  }

  /** Arms the statement timeout; it is disarmed when the query finishes. */
  public void setTimeout(Future<?> timeout) {
    this.timeout = timeout;
  }

  void disarmTimeout() {
    Future<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Why the query was cancelled, or null if it was not. */
  public CancelCause cancelCause() {
    CancelReason reason = cancelReason();
    return reason == null ? null : reason.cause();
  }

  /** Why the query was cancelled and what the canceler said, or null if it was not. */
  public CancelReason cancelReason() {
    return ending.get() instanceof CancelReason reason ? reason : null;
  }

  /**
   * Marks the query's work done (its results are computed): a cancel from now on finds
   * nothing to stop, so one is never reported done while its victim returns rows. False if
   * it was cancelled first.
   */
  public boolean complete() {
    return ending.compareAndSet(null, COMPLETED) || ending.get() == COMPLETED;
  }

  /** Cancels the query for {@code reason}; false if it had been cancelled or had completed. */
  public boolean cancel(CancelReason reason) {
    if (!ending.compareAndSet(null, reason)) {
      return false;
    }
    engineCancelFlag.set(true);
    cancelHooks.forEach(this::runOnce);
    return true;
  }

  /**
   * Runs {@code hook} once when the query is cancelled, at once if it already is, unless the
   * returned registration is closed first. Hooks run on the canceller's thread, which may hold
   * locks and must not wait: a hook that blocks hands its work to another thread.
   */
  public Registration onCancel(Runnable hook) {
    Runnable entry = hook::run; // its own identity, for a hook registered twice
    cancelHooks.add(entry);
    if (cancelCause() != null) {
      runOnce(entry);
    }
    return () -> cancelHooks.remove(entry);
  }

  /** Whoever removes a hook runs it: cancel and a late registration may race for it. */
  private void runOnce(Runnable hook) {
    if (cancelHooks.remove(hook)) {
      hook.run();
    }
  }

  /** A cancel hook's registration. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Removes the hook; it no longer runs. */
    @Override void close();
  }
}
