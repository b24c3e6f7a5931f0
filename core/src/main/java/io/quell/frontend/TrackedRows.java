package io.quell.frontend;

import io.quell.execution.QueryThread;
import io.quell.session.RunningQuery;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The rows of a tracked query as an embedded client reads them, straight from the plan: each
 * step runs as the statement's work (its cancel flag and query current, as {@link QueryThread}
 * says), a failure leaves as the client's error, the last row completes the query and closing
 * the result set early finishes it.
 *
 * <p>The first row is computed at once, while the statement executes, as a server computes
 * its first frame: Calcite evaluates a projection only when a row is read, so a query that
 * fails, sleeps or is cancelled would otherwise do so in the first {@code next()} instead of
 * in {@code executeQuery}.
 */
final class TrackedRows implements Iterable<Object>, Iterator<Object>, AutoCloseable {
  private static final Object NONE = new Object();

  private final Iterator<Object> plan;
  private final QueryTracker tracker;
  private final StatementState statement;
  private final RunningQuery query;
  private final QueryThread.Scope scope;
  private final Function<Throwable, RuntimeException> failures;
  /** The first row until it is read; {@link #NONE} after. */
  private Object first = NONE;
  private boolean done;
  /** Rows taken from the plan and not yet added to the query's count. */
  private long read;

  /** Starts reading {@code rows}; the caller runs this as {@code query}'s work. */
  TrackedRows(Iterable<Object> rows, QueryTracker tracker, StatementState statement,
      RunningQuery query, Function<Throwable, RuntimeException> failures) {
    this.tracker = tracker;
    this.statement = statement;
    this.query = query;
    this.scope = new QueryThread.Scope(query.cancelFlag(), query);
    this.failures = failures;
    try {
      this.plan = rows.iterator();
      if (plan.hasNext()) {
        first = plan.next();
        read++;
      } else {
        done = true;
        countRows();
        tracker.complete(statement, query);
      }
    } catch (RuntimeException | Error e) {
      throw failed(e);
    }
  }

  /** Avatica's cursor reads a result's rows once. */
  @Override public Iterator<Object> iterator() {
    return this;
  }

  @Override public boolean hasNext() {
    if (first != NONE) {
      return true;
    }
    if (done) {
      return false;
    }
    Object previous = scope.enter();
    try {
      if (plan.hasNext()) {
        return true;
      }
      done = true;
      countRows();
      tracker.complete(statement, query);
      return false;
    } catch (RuntimeException | Error e) {
      throw failed(e);
    } finally {
      scope.exit(previous);
    }
  }

  @Override public Object next() {
    if (first != NONE) {
      Object row = first;
      first = NONE;
      return row;
    }
    if (done) {
      throw new NoSuchElementException();
    }
    Object previous = scope.enter();
    try {
      Object row = plan.next();
      read++;
      return row;
    } catch (RuntimeException | Error e) {
      throw failed(e);
    } finally {
      scope.exit(previous);
    }
  }

  /** Avatica's cursor closes an iterator that is {@link AutoCloseable}: a source's, say. */
  @Override public void close() throws Exception {
    done = true;
    first = NONE;
    try {
      if (plan instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } finally {
      countRows();
      tracker.finish(statement, query);
    }
  }

  /**
   * Adds the rows read since the last call to the query's count: once per result, not once per
   * row, on the path the client waits for.
   */
  private void countRows() {
    query.addRows(read);
    read = 0;
  }

  private RuntimeException failed(Throwable e) {
    done = true;
    countRows();
    return failures.apply(tracker.failed(statement, query, e));
  }
}
