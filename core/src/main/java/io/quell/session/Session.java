package io.quell.session;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.sql.Connection;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client's session: one JDBC/Avatica connection on this node. It owns the engine connection
 * it runs statements on and at most one running query at a time. Once cancelled or closed it
 * refuses every further call with SQLSTATE 57P01.
 */
public final class Session {
  /**
   * Application names of this prefix mark internal sessions (a driver's cancel side channel,
   * node-to-node calls), which SHOW hides unless asked for ALL.
   */
  public static final String INTERNAL_APPLICATION_PREFIX = "$ internal";

  private final SessionRegistry registry;
  private final ActivityId id;
  private final int pid;
  private final String user;
  private final String clientAddress;
  private final Instant start;
  private final Connection connection;
  private final SessionVariables variables;
  private final AtomicLong statementCount = new AtomicLong();
  private final AtomicReference<CancelReason> ended = new AtomicReference<>();
  private final AtomicLong maxAllocBytes = new AtomicLong();
  private volatile RunningQuery activeQuery;
  private volatile String lastQuery = "";
  private volatile long lastActiveNanos = System.nanoTime();

  Session(SessionRegistry registry, ActivityId id, int pid, String user, String clientAddress,
      String applicationName, Connection connection) {
    this.registry = registry;
    this.id = id;
    this.pid = pid;
    this.user = user;
    this.clientAddress = clientAddress;
    this.start = Instant.now();
    this.connection = connection;
    this.variables = new SessionVariables(id, user, applicationName);
  }

  public ActivityId id() {
    return id;
  }

  /**
   * The session's process id as PostgreSQL's interface shows it ({@code pg_backend_pid()},
   * {@code pg_stat_activity.pid}, BackendKeyData): unique among this node's live sessions,
   * whatever the front end. Unlike the session id it may be reused once the session ends.
   */
  public int pid() {
    return pid;
  }

  public long nodeId() {
    return id.nodeId();
  }

  public String user() {
    return user;
  }

  public String clientAddress() {
    return clientAddress;
  }

  public Instant start() {
    return start;
  }

  /** Whether it is an internal session (the console's, a peer's), which SHOW hides. */
  public boolean isInternal() {
    return variables.applicationName().startsWith(INTERNAL_APPLICATION_PREFIX);
  }

  public Connection connection() {
    return connection;
  }

  public SessionVariables variables() {
    return variables;
  }

  public SessionRegistry registry() {
    return registry;
  }

  public RunningQuery activeQuery() {
    return activeQuery;
  }

  public String lastQuery() {
    return lastQuery;
  }

  public long statementCount() {
    return statementCount.get();
  }

  public long idleNanos() {
    return activeQuery == null ? System.nanoTime() - lastActiveNanos : 0;
  }

  public SessionStatus status() {
    if (ended.get() != null) {
      return SessionStatus.CLOSED;
    }
    return activeQuery == null ? SessionStatus.IDLE : SessionStatus.ACTIVE;
  }

  /** The memory its running query's operators hold now (accounted, not allocated). */
  public long allocBytes() {
    RunningQuery query = activeQuery;
    return query == null ? 0 : query.memory().held();
  }

  /** The most memory any of its queries has held. */
  public long maxAllocBytes() {
    RunningQuery query = activeQuery;
    return maxAllocBytes.accumulateAndGet(query == null ? 0 : query.memory().peak(), Math::max);
  }

  /** Why the session ended, or null while it lives. */
  public CancelCause endCause() {
    CancelReason reason = ended.get();
    return reason == null ? null : reason.cause();
  }

  /** Throws 57P01 if the session may no longer be used. */
  public void checkAlive() {
    CancelReason reason = ended.get();
    if (reason != null) {
      throw new QuellException(SqlState.ADMIN_SHUTDOWN,
          reason.cause() == CancelCause.CONNECTION_CLOSED
              ? "session is closed" : reason.describe("session was canceled"));
    }
  }

  /**
   * Starts tracking a statement. {@code engineCancelFlag} is the engine statement's flag; it is
   * cleared first because Calcite never clears it after a cancel and the client may reuse the
   * statement.
   */
  public RunningQuery begin(String sql, AtomicBoolean engineCancelFlag) {
    statementCount.incrementAndGet();
    return track(sql, engineCancelFlag, RunningQuery.Phase.QUEUED);
  }

  /**
   * Starts tracking the planning of a statement a client prepares: a query that can be
   * listed, cancelled and timed out like any, but not an executed statement.
   */
  public RunningQuery beginPrepare(String sql, AtomicBoolean cancelFlag) {
    return track(sql, cancelFlag, RunningQuery.Phase.PREPARING);
  }

  private RunningQuery track(String sql, AtomicBoolean engineCancelFlag,
      RunningQuery.Phase phase) {
    checkAlive();
    engineCancelFlag.set(false);
    RunningQuery query = new RunningQuery(registry.newId(), this, sql, Instant.now(),
        engineCancelFlag, variables.maxQueryMemory(), phase);
    activeQuery = query;
    registry.queryStarted(query);
    // A cancel of the session between checkAlive and publishing the query must still reach it.
    CancelReason reason = ended.get();
    if (reason != null) {
      query.cancel(reason);
    }
    return query;
  }

  /** Stops tracking {@code query}; safe to call more than once. */
  public void finish(RunningQuery query) {
    if (registry.queryFinished(query)) {
      query.ended();
      query.disarmTimeout();
      query.releaseAdmission();
      maxAllocBytes.accumulateAndGet(query.memory().peak(), Math::max);
      query.memory().close();
      lastQuery = query.sql();
      lastActiveNanos = System.nanoTime();
      if (activeQuery == query) {
        activeQuery = null;
      }
      if (query.isStatement()) {
        registry.statementFinished(query);
      }
    }
  }

  /** Ends the session: its running query is cancelled and later calls fail with 57P01. */
  public boolean end(CancelCause cause) {
    return end(CancelReason.of(cause));
  }

  /** Ends the session for {@code reason}, which its running query and later calls report. */
  public boolean end(CancelReason reason) {
    if (!ended.compareAndSet(null, reason)) {
      return false;
    }
    RunningQuery query = activeQuery;
    if (query != null) {
      query.cancel(reason);
    }
    registry.sessionEnded(this, closedRecord(query, reason.cause()));
    return true;
  }

  /** The session as its history keeps it; a query it was still running counts as its last. */
  private ClosedSession closedRecord(RunningQuery running, CancelCause cause) {
    return new ClosedSession(id, pid, user, clientAddress, variables.applicationName(),
        running == null ? lastQuery : running.sql(), statementCount.get(), start.toEpochMilli(),
        System.currentTimeMillis(), cause, maxAllocBytes());
  }
}
