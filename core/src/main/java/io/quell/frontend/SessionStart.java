package io.quell.frontend;

import io.quell.engine.QuellEngine;
import io.quell.session.Session;

import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.jdbc.CalciteConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a client connection begins its session, over HTTP and embedded alike
 * ({@link SessionMeta}): the login check, an engine connection set up as every client expects
 * it, then the session, which may still be refused (a connection limit, a drain).
 */
final class SessionStart {
  /**
   * The isolation every statement gets: Quell has no multi-statement transactions, each
   * statement runs by itself and sees what is committed when it runs, and its changes are
   * visible at once.
   */
  static final int ISOLATION = Connection.TRANSACTION_READ_COMMITTED;

  private SessionStart() {
  }

  /** {@code user}, or the default user if the client named none. */
  static String user(String user) {
    return user == null ? QuellEngine.DEFAULT_USER : user;
  }

  /** Checks that {@code user} may log in, then opens an engine connection for it. */
  static Connection engineConnection(QuellEngine engine, String user) throws SQLException {
    engine.checkCanLogin(user(user));
    return configured(engine.newEngineConnection(null));
  }

  /** {@code connection}, Calcite's, in the modes a new JDBC connection has. */
  static Connection configured(Connection connection) throws SQLException {
    CalciteConnection calcite = connection.unwrap(CalciteConnection.class);
    // A new JDBC connection is in auto-commit mode; Calcite's starts in manual-commit mode.
    calcite.setAutoCommit(true);
    calcite.setTransactionIsolation(ISOLATION);
    return connection;
  }

  /** The session of {@code user} on {@code connection}; the caller closes it if refused. */
  static Session open(QuellEngine engine, String user, String clientAddress,
      String applicationName, Connection connection) {
    return engine.openSession(user(user), clientAddress, applicationName, connection);
  }

  /** The engine's database properties as a client sees them: with Quell's isolation. */
  static Map<DatabaseProperty, Object> databaseProperties(Map<DatabaseProperty, Object> engine) {
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.putAll(engine);
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, ISOLATION);
    return properties;
  }
}
