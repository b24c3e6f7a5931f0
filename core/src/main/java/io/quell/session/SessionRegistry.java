package io.quell.session;

import io.quell.memory.MemoryPool;
import io.quell.memory.QueryMemory;

import java.sql.Connection;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Every live session and running query of this node, and the sessions that ended within the
 * closed-session retention. Lookups by id serve CANCEL, lookups by
 * engine connection serve the system tables and statement executors, which only see the
 * connection. Concurrent maps only: no lock on the query path.
 */
public final class SessionRegistry {
  private final long nodeId;
  private final MonotonicWallClock clock = new MonotonicWallClock();
  private final Map<ActivityId, Session> sessions = new ConcurrentHashMap<>();
  private final Map<ActivityId, RunningQuery> queries = new ConcurrentHashMap<>();
  private final Map<Connection, Session> byConnection = new ConcurrentHashMap<>();
  private final Map<Integer, Session> byPid = new ConcurrentHashMap<>();
  /** The last process id given out; see {@link Session#pid()}. */
  private final AtomicInteger lastPid = new AtomicInteger();
  private final ClosedSessions closed;
  private final MemoryPool memory;
  private final BiConsumer<RunningQuery, String> memoryStop;
  private final Consumer<RunningQuery> statementFinished;

  /**
   * {@code memory} is the node's pool for what queries hold; {@code memoryStop} cancels a query
   * that went past a limit, with the message that says which; {@code statementFinished} is
   * told of every executed statement of every front end once it has finished, on the thread
   * that finished it (the statement's own, or a canceller's), and must not block.
   */
  public SessionRegistry(long nodeId, ClosedSessions closed, MemoryPool memory,
      BiConsumer<RunningQuery, String> memoryStop, Consumer<RunningQuery> statementFinished) {
    this.nodeId = nodeId;
    this.closed = closed;
    this.memory = memory;
    this.memoryStop = memoryStop;
    this.statementFinished = statementFinished;
  }

  public MemoryPool memory() {
    return memory;
  }

  /**
   * A memory account for {@code query}, of at most {@code limit} bytes (0: the pool's); an
   * {@code exempt} one (session control) is refused only past the pool's whole size.
   */
  QueryMemory memoryAccount(RunningQuery query, long limit, boolean exempt) {
    return new QueryMemory(memory, limit <= 0 ? memory.limit() : limit, exempt,
        message -> memoryStop.accept(query, message));
  }

  public long nodeId() {
    return nodeId;
  }

  ActivityId newId() {
    return new ActivityId(clock.now(), nodeId);
  }

  /** Registers a new session running its statements on {@code connection}. */
  public Session open(String user, String clientAddress, String applicationName,
      Connection connection) {
    Session session = new Session(this, newId(), newPid(), user, clientAddress,
        applicationName == null ? "" : applicationName, connection);
    sessions.put(session.id(), session);
    byPid.put(session.pid(), session);
    byConnection.put(connection, session);
    return session;
  }

  /**
   * A positive process id no live session of this node holds: PostgreSQL clients keep a
   * backend's pid in an int32 and take 0 or a negative one for "none".
   */
  private int newPid() {
    while (true) {
      int pid = lastPid.updateAndGet(last -> last == Integer.MAX_VALUE ? 1 : last + 1);
      if (!byPid.containsKey(pid)) {
        return pid;
      }
    }
  }

  /** The live session of this node with process id {@code pid}, or null. */
  public Session sessionByPid(int pid) {
    return byPid.get(pid);
  }

  /** The live session {@code id} names, or null: a closed one can no longer be cancelled. */
  public Session session(ActivityId id) {
    return sessions.get(id);
  }

  public RunningQuery query(ActivityId id) {
    return queries.get(id);
  }

  /** The session whose engine connection is {@code connection}, or null. */
  public Session sessionOf(Object connection) {
    return connection instanceof Connection c ? byConnection.get(c) : null;
  }

  public Collection<Session> sessions() {
    return Collections.unmodifiableCollection(sessions.values());
  }

  /** The sessions that ended within the retention, oldest first. */
  public Collection<ClosedSession> closedSessions() {
    return closed.list();
  }

  public Collection<RunningQuery> queries() {
    return Collections.unmodifiableCollection(queries.values());
  }

  void queryStarted(RunningQuery query) {
    queries.put(query.id(), query);
  }

  boolean queryFinished(RunningQuery query) {
    return queries.remove(query.id(), query);
  }

  void statementFinished(RunningQuery query) {
    statementFinished.accept(query);
  }

  void sessionEnded(Session session, ClosedSession record) {
    if (sessions.remove(session.id(), session)) {
      closed.add(record);
    }
    byConnection.remove(session.connection(), session);
    byPid.remove(session.pid(), session);
  }
}
