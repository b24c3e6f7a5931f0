package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.Session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The front end's handles: the session of each Avatica connection and the state of each
 * statement. {@link RequestGuard} consults it before any request reaches the engine;
 * {@link QuellMeta} keeps it up to date as handles are made and closed.
 */
final class HandleTable {
  private final Map<String, Session> connections = new ConcurrentHashMap<>();
  private final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();

  /**
   * Checks that the request on this thread may use {@code connectionId}, and statement
   * {@code statementId} of it unless null: both exist and belong to the requesting user.
   * In-process requests (no {@link RequestContext}) are the process's own and may use any
   * connection, but still only a statement of that connection.
   */
  void admit(String connectionId, Integer statementId) {
    Session session = connectionId == null ? null : connections.get(connectionId);
    RequestContext request = RequestContext.current();
    if (session == null || request != null && !request.user().equals(session.user())) {
      // The same answer for "no such connection" and "not yours": ids reveal nothing.
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection does not exist");
    }
    StatementState statement = statementId == null ? null : statements.get(statementId);
    if (statementId != null && (statement == null || statement.owner() != session)) {
      throw new QuellException(SqlState.INVALID_STATEMENT_NAME, "statement does not exist");
    }
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

  void addConnection(String connectionId, Session session) {
    if (connections.putIfAbsent(connectionId, session) != null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection already exists");
    }
  }

  /** The session of an admitted connection; 08003 if it closed since. */
  Session session(String connectionId) {
    return existing(connections.get(connectionId));
  }

  /**
   * Forgets {@code connectionId} and every statement of its session, which it returns; 08003
   * if it closed since.
   */
  Session removeConnection(String connectionId) {
    Session session = existing(connections.remove(connectionId));
    statements.values().removeIf(s -> s.owner() == session);
    return session;
  }

  private static Session existing(Session session) {
    if (session == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection does not exist");
    }
    return session;
  }

  void addStatement(int statementId, StatementState statement) {
    statements.put(statementId, statement);
  }

  /** The state of an admitted statement; 26000 if it closed since. */
  StatementState statement(int statementId) {
    StatementState statement = statements.get(statementId);
    if (statement == null) {
      throw new QuellException(SqlState.INVALID_STATEMENT_NAME, "statement does not exist");
    }
    return statement;
  }

  /** Forgets the statement if {@code session} owns it; null if it was already gone. */
  StatementState removeStatement(int statementId, Session session) {
    StatementState statement = statements.get(statementId);
    return statement != null && statement.owner() == session
        && statements.remove(statementId, statement) ? statement : null;
  }

  Map<Integer, StatementState> statements() {
    return statements;
  }

  Map<String, Session> connections() {
    return connections;
  }

  void clear() {
    connections.clear();
    statements.clear();
  }
}
