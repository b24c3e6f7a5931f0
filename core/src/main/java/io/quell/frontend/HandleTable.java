package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front end's handles: the session Meta of each Avatica connection and when a request
 * last used it, and the statements of all of them under ids unique in the node. Calcite counts
 * statements per connection, so its ids would name statements of several connections, and a
 * request naming another connection's statement could pass as one naming the caller's.
 * {@link RequestGuard} consults the table before any request reaches a session;
 * {@link ServerMeta} keeps it up to date as connections open, close and expire.
 */
final class HandleTable {
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<Integer, Statement> statements = new ConcurrentHashMap<>();
  private final AtomicInteger nextStatementId = new AtomicInteger();
  /** Statements one connection may hold open at once. */
  static final int MAX_STATEMENTS = 10_000;

  /** A statement as Calcite knows it: its connection and its id there. */
  private record Statement(String connectionId, int engineId) {
  }

  /** An Avatica connection: its session and when it was last used. */
  private static final class Connection {
    final SessionMeta session;
    /** Its statements' node-wide ids, which leave the table with it. */
    final Set<Integer> statementIds = ConcurrentHashMap.newKeySet();
    volatile long lastUsed = System.nanoTime();

    Connection(SessionMeta session) {
      this.session = session;
    }
  }

  /**
   * Checks that the request on this thread may use {@code connectionId}, and statement
   * {@code statementId} of it unless null: both exist and belong to the requesting user; the
   * use keeps the connection from expiring. In-process requests (no {@link RequestContext})
   * are the process's own and may use any connection, but still only a statement of that
   * connection.
   */
  void admit(String connectionId, Integer statementId) {
    Connection connection = connectionId == null ? null : connections.get(connectionId);
    RequestContext request = RequestContext.current();
    if (connection == null
        || request != null && !request.user().equals(connection.session.session().user())) {
      // The same answer for "no such connection" and "not yours": ids reveal nothing.
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection does not exist");
    }
    if (statementId != null) {
      engineId(connectionId, statementId);
    }
    connection.lastUsed = System.nanoTime();
  }

  /** Checks that no connection has the id a client asks to open. */
  void admitNew(String connectionId) {
    if (connectionId == null || connections.containsKey(connectionId)) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection already exists");
    }
  }

  /** Whether statement {@code statementId} is known at all; closing a closed one is no error. */
  boolean isStatement(int statementId) {
    return statements.containsKey(statementId);
  }

  /**
   * The node-wide id of statement {@code engineId} of {@code connectionId}, now known; 53000
   * past {@link #MAX_STATEMENTS} open on the connection, which a client that never closes its
   * statements would otherwise grow without bound.
   */
  int addStatement(String connectionId, int engineId) {
    Connection connection = connections.get(connectionId);
    if (connection == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection does not exist");
    }
    if (connection.statementIds.size() >= MAX_STATEMENTS) {
      throw new QuellException(SqlState.INSUFFICIENT_RESOURCES,
          "too many open statements on this connection (" + MAX_STATEMENTS + ")");
    }
    int id = nextStatementId.getAndIncrement();
    statements.put(id, new Statement(connectionId, engineId));
    connection.statementIds.add(id);
    return id;
  }

  /** Calcite's id of statement {@code statementId}; 26000 unless it is {@code connectionId}'s. */
  int engineId(String connectionId, int statementId) {
    Statement statement = statements.get(statementId);
    if (statement == null || !statement.connectionId().equals(connectionId)) {
      throw new QuellException(SqlState.INVALID_STATEMENT_NAME, "statement does not exist");
    }
    return statement.engineId();
  }

  /** Forgets statement {@code statementId} if it is {@code connectionId}'s. */
  void removeStatement(String connectionId, int statementId) {
    Statement statement = statements.get(statementId);
    if (statement != null && statement.connectionId().equals(connectionId)
        && statements.remove(statementId, statement)) {
      Connection connection = connections.get(connectionId);
      if (connection != null) {
        connection.statementIds.remove(statementId);
      }
    }
  }

  /** Adds a connection; false if one has its id already. */
  boolean add(String connectionId, SessionMeta session) {
    return connections.putIfAbsent(connectionId, new Connection(session)) == null;
  }

  /** The session of an admitted connection; 08003 if it closed since. */
  SessionMeta session(String connectionId) {
    return existing(connections.get(connectionId));
  }

  /**
   * Forgets {@code connectionId} and its statements, and returns its session; 08003 if it
   * closed since.
   */
  SessionMeta remove(String connectionId) {
    Connection connection = connections.remove(connectionId);
    SessionMeta session = existing(connection);
    statements.keySet().removeAll(connection.statementIds);
    return session;
  }

  private static SessionMeta existing(Connection connection) {
    if (connection == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection does not exist");
    }
    return connection.session;
  }

  /**
   * Forgets the connections no request has used for {@code expiry}, and returns their
   * sessions; one running a query is in use, since a client waiting for a long query sends no
   * requests.
   */
  List<SessionMeta> removeExpired(Duration expiry) {
    long now = System.nanoTime();
    List<SessionMeta> expired = new ArrayList<>();
    connections.forEach((id, connection) -> {
      if (connection.session.session().activeQuery() != null) {
        connection.lastUsed = now;
      } else if (now - connection.lastUsed > expiry.toNanos()
          && connections.remove(id, connection)) {
        expired.add(connection.session);
        statements.keySet().removeAll(connection.statementIds);
      }
    });
    return expired;
  }

  int size() {
    return connections.size();
  }

  void clear() {
    connections.clear();
    statements.clear();
  }
}
