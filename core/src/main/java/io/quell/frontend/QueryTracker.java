package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.execution.QueryThread;
import io.quell.parser.text.SqlRedaction;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The queries that run through the front end: each begins before its statement runs, under a
 * cancel flag of its own, is watched while it works inside a client's request, and finishes
 * once, when its last row is fetched, its statement closes or it fails.
 */
final class QueryTracker {
  private final QuellEngine engine;
  /** Whether the client waiting for each query that is working inside a request is there. */
  private final Map<RunningQuery, BooleanSupplier> waitingClients = new ConcurrentHashMap<>();

  QueryTracker(QuellEngine engine) {
    this.engine = engine;
  }

  /**
   * Begins {@code sql} as {@code statement}'s query, finishing the one it ran before; fails
   * with 57014 if it was cancelled before it could start.
   */
  RunningQuery begin(StatementState statement, String sql) {
    finish(statement, statement.running());
    RunningQuery query =
        statement.owner().begin(SqlRedaction.hidePasswords(sql), new AtomicBoolean());
    statement.start(query);
    engine.armStatementTimeout(query);
    if (query.cancelCause() != null) {
      finish(statement, query);
      throw failure(new SQLException("canceled before start"), query);
    }
    return query;
  }

  /**
   * Finishes {@code query}, whose work is done, unless a CANCEL QUERY came first: then it fails
   * as cancelled, as that cancel reported. A statement whose session ended meanwhile keeps its
   * result, as the seed page's CANCEL SESSIONS of its own session reports its count; the
   * session's next call fails 57P01.
   */
  void complete(StatementState statement, RunningQuery query) {
    boolean completed = query.complete();
    finish(statement, query);
    if (!completed && query.session().endCause() == null) {
      throw failure(new SQLException("canceled after its work was done"), query);
    }
  }

  /** Finishes {@code query}, which {@code e} ended, and gives the error the client sees. */
  RuntimeException failed(StatementState statement, RunningQuery query, Throwable e) {
    query.markFailed();
    finish(statement, query);
    return failure(e, query);
  }

  /** Finishes {@code query} if it is still {@code statement}'s. */
  void finish(StatementState statement, RunningQuery query) {
    if (statement.end(query)) {
      statement.owner().finish(query);
    }
  }

  /**
   * Plans a statement the client prepares as a query of its own: planning can take seconds,
   * and CANCEL and statement_timeout must reach it as they reach the planning of a statement
   * executed directly.
   */
  <T> T planned(Session session, String sql, Call<T> call) throws Exception {
    RunningQuery query =
        session.beginPrepare(SqlRedaction.hidePasswords(sql), new AtomicBoolean());
    engine.armStatementTimeout(query);
    try {
      return watched(query, call);
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw failure(e, query);
    } finally {
      session.finish(query);
    }
  }

  /**
   * Runs the execution of {@code query}, which {@link #begin} started, once admission control
   * lets it. It waits in the queue watched and under its cancel flag, like the work itself, so
   * that a cancel, its statement_timeout or a vanished client take it out of the queue.
   */
  <T> T executed(RunningQuery query, Call<T> call) throws Exception {
    return watched(query, () -> {
      engine.admit(query);
      return call.run();
    });
  }

  /**
   * Runs {@code call} of {@code query} under its cancel flag while the sweep watches the client
   * of the request: without that, the query of a client that died keeps running, and keeps
   * its session alive, until it ends by itself. A null query runs untracked.
   */
  <T> T watched(RunningQuery query, Call<T> call) throws Exception {
    if (query == null) {
      return call.run();
    }
    RequestContext request = RequestContext.current();
    if (request == null) {
      return QueryThread.run(query.cancelFlag(), query, call::run);
    }
    waitingClients.put(query, request.clientConnected());
    try {
      return QueryThread.run(query.cancelFlag(), query, call::run);
    } finally {
      waitingClients.remove(query);
    }
  }

  /** Cancels the queries whose client has gone away while they worked. */
  void cancelAbandoned() {
    List<RunningQuery> abandoned = new ArrayList<>();
    for (RunningQuery query : waitingClients.keySet()) {
      // Probing inside the map's lock for the query: once the request has left watched(),
      // its client may send its next request on the same socket, which a probe must not eat.
      waitingClients.computeIfPresent(query, (q, connected) -> {
        if (!connected.getAsBoolean()) {
          abandoned.add(q);
        }
        return connected;
      });
    }
    abandoned.forEach(query ->
        engine.cancellations().cancelByNode(query, CancelCause.CONNECTION_CLOSED));
  }

  /** The error the client sees when {@code e} ended {@code query}. */
  private static RuntimeException failure(Throwable e, RunningQuery query) {
    CancelReason reason = query == null ? null : query.cancelReason();
    if (reason != null && reason.cause() == CancelCause.MEMORY) {
      return new QuellException(SqlState.OUT_OF_MEMORY, reason.message(), e);
    }
    if (reason != null) {
      return new QuellException(SqlState.QUERY_CANCELED, reason.cause() == CancelCause.TIMEOUT
          ? "query execution canceled due to statement timeout"
          : reason.describe("query execution canceled"), e);
    }
    return e instanceof RuntimeException r ? r : QuellException.unwrap(e);
  }
}
