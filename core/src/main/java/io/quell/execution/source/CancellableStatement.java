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
 * not wait for it. It is repeated until the execution it interrupts has returned, because a
 * driver ignores a cancel that comes before it has sent the statement (PostgreSQL's does), and
 * the hook cannot see when that happens; a cancel that comes before the execution even starts
 * fails the execution instead.
 */
final class CancellableStatement implements InvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CancellableStatement.class);
  private static final long RETRY_MILLIS = 20;
  private static final ExecutorService CANCELS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quell-source-cancel");
    t.setDaemon(true);
    return t;
  });

  private final Statement statement;
  private final RunningQuery.Registration registration;
  private volatile boolean canceled;
  private volatile boolean executing;
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
      closed = true;
      registration.close();
    }
    return CancellableDataSource.invoke(statement, method, args);
  }

  private Object execute(Method method, Object[] args) throws Throwable {
    // Flagged before the cancel is checked, as cancel() sets the flag before it looks here:
    // either this sees the cancel, or the cancel sees this execution.
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
      do {
        if (closed) {
          return;
        }
        statement.cancel();
      } while (executing && pause());
    } catch (SQLException | RuntimeException e) {
      // The query fails with 57014 all the same; its statement just runs on in the other
      // database until it ends by itself. A statement closed meanwhile has ended anyway.
      if (!closed) {
        LOG.warn("could not cancel a statement in the source database: {}", e.toString());
      }
    }
  }

  private static boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
