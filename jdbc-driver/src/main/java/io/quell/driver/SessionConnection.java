package io.quell.driver;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A Quell connection as the application sees it: Avatica's connection, plus what Avatica's
 * client does not do. {@code Statement.cancel()} asks the server to cancel the session's
 * running query over a second, internal connection, as PostgreSQL's driver sends a cancel
 * request; {@code setQueryTimeout()} cancels the same way when the time is up; and once the
 * server reports the session cancelled (57P01) the connection reports itself closed.
 */
final class SessionConnection implements InvocationHandler {
  /**
   * Sessions with this application name are internal and hidden from SHOW SESSIONS: it starts
   * with core's {@code Session.INTERNAL_APPLICATION_PREFIX}, spelled out because the driver is
   * a standalone jar without the engine.
   */
  static final String CANCEL_CHANNEL_APP = "$ internal cancel";
  // Two statements prepared once instead of one CANCEL QUERIES (SELECT ...): Calcite plans a
  // query on every execution but a prepared one only once, and planning was most of the time
  // Statement.cancel() took (benchmark figure 1c).
  private static final String FIND_SQL =
      "SELECT query_id FROM quell_internal.cluster_queries WHERE session_id = ?";
  private static final String CANCEL_SQL = "CANCEL QUERY IF EXISTS ?";

  /** Opens one raw connection with the given properties. */
  @FunctionalInterface
  interface Opener {
    Connection open(Properties props) throws SQLException;
  }

  private final Connection connection;
  private final Opener opener;
  private final Properties props;
  private final String sessionId;
  private Connection cancelChannel;
  private PreparedStatement findQueries;
  private PreparedStatement cancelQuery;
  private volatile boolean ended;

  private SessionConnection(Connection connection, Opener opener, Properties props,
      String sessionId) {
    this.connection = connection;
    this.opener = opener;
    this.props = props;
    this.sessionId = sessionId;
  }

  static Connection open(Opener opener, Properties props) throws SQLException {
    Connection connection = opener.open(props);
    String sessionId;
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SHOW session_id")) {
      rs.next();
      sessionId = rs.getString(1);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    SessionConnection handler = new SessionConnection(connection, opener, props, sessionId);
    return (Connection) Proxy.newProxyInstance(SessionConnection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  @Override public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
    case "isClosed":
      return ended || connection.isClosed();
    case "isValid":
      return !ended && connection.isValid((Integer) args[0]);
    case "close":
      closeCancelChannel();
      return call(connection, method, args);
    case "unwrap":
      return ((Class<?>) args[0]).isInstance(proxy) ? proxy : connection.unwrap((Class<?>) args[0]);
    case "isWrapperFor":
      return ((Class<?>) args[0]).isInstance(proxy) || connection.isWrapperFor((Class<?>) args[0]);
    default:
      Object result = call(connection, method, args);
      if (result instanceof Statement statement) {
        return wrap(statement, (Connection) proxy);
      }
      return result;
    }
  }

  /** Invokes on the real object, noting a session that the server has ended. */
  Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException unchecked) {
        SQLException known =
            ClientFailures.translate(unchecked, props.getProperty("avatica_user"));
        if (known != null) {
          cause = known;
        }
      }
      if (cause instanceof SQLException sql && ("57P01".equals(sql.getSQLState())
          || "08003".equals(sql.getSQLState()))) {
        ended = true;
      }
      throw cause;
    }
  }

  private Statement wrap(Statement statement, Connection proxy) {
    Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
        : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return (Statement) Proxy.newProxyInstance(SessionConnection.class.getClassLoader(),
        new Class<?>[] {type}, new CancellableStatement(this, statement, proxy));
  }

  /** Cancels whatever the session is running, on the server. */
  void cancelRunningQuery() throws SQLException {
    if (ended) {
      return;
    }
    synchronized (this) {
      if (cancelChannel == null || cancelChannel.isClosed()) {
        Properties channel = new Properties();
        channel.putAll(props);
        channel.setProperty("applicationName", CANCEL_CHANNEL_APP);
        cancelChannel = opener.open(channel);
        findQueries = cancelChannel.prepareStatement(FIND_SQL);
        cancelQuery = cancelChannel.prepareStatement(CANCEL_SQL);
      }
      findQueries.setString(1, sessionId);
      try (ResultSet queries = findQueries.executeQuery()) {
        while (queries.next()) {
          cancelQuery.setString(1, queries.getString(1));
          cancelQuery.executeUpdate();
        }
      }
    }
  }

  private synchronized void closeCancelChannel() throws SQLException {
    if (cancelChannel != null) {
      cancelChannel.close();
      cancelChannel = null;
    }
  }
}
