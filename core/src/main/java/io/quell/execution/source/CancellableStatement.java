package io.quell.execution.source;

import io.quell.execution.QueryCanceledException;
import io.quell.execution.QueryThread;
import io.quell.session.RunningQuery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A statement of another database that is cancelled there when the Quell query that created
 * it is cancelled: a statement blocked in the other database never looks at Quell's cancel
 * flag, so without this it runs to its end, and keeps the query's thread, however long that
 * takes. The driver's {@link Statement#cancel} ends only the statement; its connection stays
 * usable, as JDBC requires.
 *
 * <p>The cancel runs on a thread of its own: a driver's cancel can take a while (PostgreSQL's
 * opens a new connection to the server) and the canceller, a CANCEL statement or a timer, must
 * not wait for it. A cancel that comes before the execution starts fails the execution here.
 * One that comes as it starts is the hard case: PostgreSQL ignores a cancel that reaches it
 * before the statement does, and its driver then ignores every further cancel of that
 * execution. So the first cancel waits until the execution has run for {@link #SETTLE_NANOS};
 * while the execution goes on the cancel is repeated (for drivers that honour a repeat), and
 * once it has been ignored for {@link #ABORT_NANOS} the connection is aborted: the query ends
 * all the same, and the pool replaces the connection.
 */
final class CancellableStatement implements InvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CancellableStatement.class);
  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long ABORT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final ExecutorService CANCELS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quell-source-cancel");
    t.setDaemon(true);
    return t;
  });

  private final Statement statement;
  private final RunningQuery.Registration registration;
  private volatile boolean canceled;
  private volatile boolean executing;
  private volatile long executingSince;
  private volatile boolean closed;

  private CancellableStatement(Statement statement) {
    this.statement = statement;
    this.registration = QueryThread.onCancel(this::cancel);
  }

  /** {@code statement} as a {@code type} (a Statement interface) that cancels with its query. */
  static Statement wrap(Statement statement, Class<?> type) {
    return (Statement) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new CancellableStatement(statement));
  }

  @Override public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.startsWith("execute")) {
      return execute(method, args);
    }
    if (name.equals("close")) {
      close();
    }
    return CancellableDataSource.invoke(statement, method, args);
  }

  private Object execute(Method method, Object[] args) throws Throwable {
    // Flagged before the cancel is checked, as cancel() sets the flag before it looks here:
    // either this sees the cancel, or the cancel sees this execution.
    executingSince = System.nanoTime();
    executing = true;
    try {
      if (canceled) {
        throw new QueryCanceledException();
      }
      return CancellableDataSource.invoke(statement, method, args);
    } finally {
      executing = false;
    }
  }

  /** The query's cancel hook: must not wait. */
  private void cancel() {
    canceled = true;
    CANCELS.execute(this::cancelDownstream);
  }

  private void cancelDownstream() {
    try {
      if (executing) {
        pauseUntil(executingSince + SETTLE_NANOS);
      }
      long abortAt = System.nanoTime() + ABORT_NANOS;
      while (!closed) {
        statement.cancel();
        if (!executing || !pauseUntil(Math.min(abortAt, System.nanoTime() + RETRY_NANOS))) {
          return;
        }
        if (System.nanoTime() - abortAt >= 0) {
          abortExecution();
          return;
        }
      }
    } catch (SQLException | RuntimeException e) {
      // The query fails with 57014 all the same; its statement just runs on in the other
      // database until it ends by itself. A statement closed meanwhile has ended anyway.
      if (!closed) {
        LOG.warn("could not cancel a statement in the source database: {}", e.toString());
      }
    }
  }

  private void close() {
    synchronized (this) {
      closed = true;
    }
    registration.close();
  }

  /**
   * Aborts the connection while this statement still executes on it. Under the lock close()
   * takes, because once the statement is closed the pool may lend the connection to another
   * query.
   */
  private synchronized void abortExecution() throws SQLException {
    if (executing && !closed) {
      LOG.warn("a statement in the source database ignored its cancel; aborting its "
          + "connection");
      statement.getConnection().abort(CANCELS);
    }
  }

  /** Sleeps until {@code deadline} (System.nanoTime); false if interrupted. */
  private static boolean pauseUntil(long deadline) {
    try {
      long nanos = deadline - System.nanoTime();
      if (nanos > 0) {
        TimeUnit.NANOSECONDS.sleep(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
