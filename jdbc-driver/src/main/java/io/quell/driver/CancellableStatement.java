package io.quell.driver;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A statement whose {@code cancel()} and query timeout reach the server (see
 * {@link SessionConnection}); everything else is Avatica's.
 */
final class CancellableStatement implements InvocationHandler {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quell-query-timeout");
        t.setDaemon(true);
        return t;
      });

  private final SessionConnection session;
  private final Statement statement;
  private final Connection connection;
  private volatile int timeoutSeconds;

  CancellableStatement(SessionConnection session, Statement statement, Connection connection) {
    this.session = session;
    this.statement = statement;
    this.connection = connection;
  }

  @Override public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
    case "cancel":
      // Not Avatica's cancel() as well: it raises a client-side flag that nothing lowers, so
      // every later result of this statement failed "Statement canceled" without a SQLSTATE.
      session.cancelRunningQuery();
      return null;
    case "setQueryTimeout":
      timeoutSeconds = (Integer) args[0];
      return null;
    case "getQueryTimeout":
      return timeoutSeconds;
    case "getConnection":
      return connection;
    case "unwrap":
      return ((Class<?>) args[0]).isInstance(proxy) ? proxy : statement.unwrap((Class<?>) args[0]);
    case "isWrapperFor":
      return ((Class<?>) args[0]).isInstance(proxy) || statement.isWrapperFor((Class<?>) args[0]);
    default:
      if (!name.startsWith("execute") || timeoutSeconds <= 0) {
        return session.call(statement, method, args);
      }
      ScheduledFuture<?> timeout = TIMER.schedule(() -> {
        try {
          session.cancelRunningQuery();
        } catch (Exception ignored) {
          // the statement then simply runs on; its own error, if any, is what the caller sees
        }
      }, timeoutSeconds, TimeUnit.SECONDS);
      try {
        return session.call(statement, method, args);
      } finally {
        timeout.cancel(false);
      }
    }
  }
}
