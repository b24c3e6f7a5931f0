package io.quell.execution.source;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A JDBC adapter's data source whose statements are cancelled in the other database when the
 * Quell query that runs them is cancelled (see {@link CancellableStatement}). Calcite's JDBC
 * adapter reaches its database only through the schema's data source, so wrapping it covers
 * pushed-down queries and plain scans alike. Connections are the wrapped source's, pooled as it
 * pools them; only their statements are wrapped.
 */
public final class CancellableDataSource implements DataSource {
  private final DataSource delegate;

  public CancellableDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  @Override public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override public Connection getConnection(String username, String password)
      throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  @Override public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
  }

  @Override public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }

  /**
   * A view of {@code connection} whose every kind of statement (plain, prepared, callable) is
   * cancellable. A dynamic proxy, because JDBC's interfaces have hundreds of methods of which
   * only those that create statements differ.
   */
  private static Connection wrap(Connection connection) {
    InvocationHandler handler = (proxy, method, args) -> {
      Object result = invoke(connection, method, args);
      Class<?> type = method.getReturnType();
      return Statement.class.isAssignableFrom(type)
          ? CancellableStatement.wrap((Statement) result, type) : result;
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  /** Calls {@code method} on {@code target}, throwing what it throws. */
  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
