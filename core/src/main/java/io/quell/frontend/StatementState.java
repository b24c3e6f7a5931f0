package io.quell.frontend;

import io.quell.session.RunningQuery;
import io.quell.session.Session;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the front end holds for one Avatica statement handle: the session that owns it, the
 * text it was prepared with (shown in SHOW QUERIES while it executes), the session-control
 * statement it defers to execution, and the query it is running.
 */
final class StatementState {
  private final Session owner;
  private final String preparedSql;
  private final DeferredStatement deferred;
  private final AtomicReference<RunningQuery> running = new AtomicReference<>();

  /** {@code preparedSql} is empty for a plain statement, {@code deferred} usually null. */
  StatementState(Session owner, String preparedSql, DeferredStatement deferred) {
    this.owner = owner;
    this.preparedSql = preparedSql;
    this.deferred = deferred;
  }

  Session owner() {
    return owner;
  }

  String preparedSql() {
    return preparedSql;
  }

  DeferredStatement deferred() {
    return deferred;
  }

  /** The query it runs, until its last row is fetched or it fails; or null. */
  RunningQuery running() {
    return running.get();
  }

  void start(RunningQuery query) {
    running.set(query);
  }

  /** Whether {@code query} was still its running query; from now on it is not. */
  boolean end(RunningQuery query) {
    return query != null && running.compareAndSet(query, null);
  }
}
