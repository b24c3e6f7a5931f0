package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.jdbc.CalciteConnection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The engine behind {@link RequestGuard}, for the HTTP server and for embedded connections
 * alike: Avatica's JDBC-backed {@link Meta} with Quell's sessions around it. The guard has
 * checked that the caller owns the handles a call names; here a session must be alive where
 * work would start, every statement is tracked as a running query so it can be listed and cancelled, and every error
 * leaves with a SQLSTATE and without transport handles in its text.
 */
public final class QuellMeta extends JdbcMeta {
  /** Connection properties that must not reach the engine connection. */
  private static final List<String> CREDENTIALS =
      List.of("user", "password", "avatica_user", "avatica_password");

  /** Connections and statements a node keeps open at most; only expiry should end them. */
  private static final long MAX_CACHED_HANDLES = 1_000_000;

  private final QuellEngine engine;
  private final HandleTable handles = new HandleTable();
  private final QueryTracker tracker;

  QuellMeta(QuellEngine engine) throws SQLException {
    super("jdbc:calcite:", handleCaches(engine.config().connectionExpiry()));
    this.engine = engine;
    this.tracker = new QueryTracker(engine);
  }

  /**
   * Avatica's caches of connection and statement handles: they expire as the node's connection
   * expiry says and hold as many as a node serves.
   */
  private static Properties handleCaches(Duration expiry) {
    Properties properties = new Properties();
    for (String cache : new String[] {"avatica.connectioncache", "avatica.statementcache"}) {
      properties.setProperty(cache + ".expiryduration",
          Long.toString(Math.max(1, expiry.toSeconds())));
      properties.setProperty(cache + ".expiryunit", TimeUnit.SECONDS.name());
      // Avatica evicts beyond 1,000 entries by default, which silently ended the oldest
      // sessions once a node held 1,000 connections (found by the session-scale benchmark).
      properties.setProperty(cache + ".maxcapacity", Long.toString(MAX_CACHED_HANDLES));
    }
    return properties;
  }

  // --- connections -------------------------------------------------------------------------

  @Override public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    RequestContext request = RequestContext.current();
    String user = request != null ? request.user()
        : info == null ? null : info.getOrDefault("user", null);
    String address = request != null ? request.clientAddress() : "embedded";
    guarded(() -> {
      engine.checkCanLogin(SessionStart.user(user));
      Map<String, String> engineInfo = new java.util.HashMap<>(info == null ? Map.of() : info);
      CREDENTIALS.forEach(engineInfo::remove);
      super.openConnection(ch, engineInfo);
      Connection connection = SessionStart.configured(getConnection(ch.id));
      String appName = info == null ? "" : info.getOrDefault("applicationName", "");
      Session session;
      try {
        session = SessionStart.open(engine, user, address, appName,
            connection.unwrap(CalciteConnection.class));
      } catch (QuellException refused) {
        super.closeConnection(ch);
        throw refused;
      }
      handles.addConnection(ch.id, session);
      return null;
    });
  }

  /**
   * The engine connection, wrapped so that however it closes its session ends. A close or a
   * shutdown ends the session before the connection, so one still alive here has expired.
   */
  @Override protected Connection createConnection(String url, Properties info)
      throws SQLException {
    Connection real = engine.newEngineConnection(info);
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            Session session = engine.registry().sessionOf(real);
            if (session != null) {
              engine.cancellations().closeSession(session, CancelCause.CONNECTION_EXPIRED);
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override public void closeConnection(ConnectionHandle ch) {
    guarded(() -> {
      Session session = handles.removeConnection(ch.id);
      engine.cancellations().closeSession(session, CancelCause.CONNECTION_CLOSED);
      super.closeConnection(ch);
      return null;
    });
  }

  /**
   * The client's auto-commit, read-only and schema settings, kept as it sets them; the
   * isolation level stays {@link SessionStart#ISOLATION} whatever a client asks (Avatica's client sends
   * settings with its next request, too late to refuse one without poisoning every later
   * request; {@code jdbc:quell://} refuses other levels itself, with 0A000).
   */
  @Override public ConnectionProperties connectionSync(ConnectionHandle ch,
      ConnectionProperties connProps) {
    // No liveness check: Avatica's client syncs before it creates a statement, where handles
    // of dead sessions stay usable (see owner()).
    return guarded(() -> {
      ConnectionProperties settings = connProps.getTransactionIsolation() == null ? connProps
          : new ConnectionPropertiesImpl(connProps.isAutoCommit(), connProps.isReadOnly(),
              SessionStart.ISOLATION, connProps.getCatalog(), connProps.getSchema());
      return super.connectionSync(ch, settings);
    });
  }

  /**
   * Nothing to commit: every statement takes effect as it runs (see {@link SessionStart#ISOLATION}), so a
   * client in manual-commit mode (BI tools, pools, ORMs) may commit as it likes.
   */
  @Override public void commit(ConnectionHandle ch) {
    guarded(() -> live(ch.id));
  }

  /** Nothing to roll back: what a statement changed, users and roles included, stays. */
  @Override public void rollback(ConnectionHandle ch) {
    guarded(() -> live(ch.id));
  }

  // --- statements --------------------------------------------------------------------------

  @Override public StatementHandle createStatement(ConnectionHandle ch) {
    return guarded(() -> {
      Session session = handles.session(ch.id);
      StatementHandle h = super.createStatement(ch);
      handles.addStatement(h.id, new StatementState(session, "", null));
      return h;
    });
  }

  @Override public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return guarded(() -> {
      Session session = live(ch.id);
      StatementHandle h;
      DeferredStatement deferred = null;
      if (DeferredStatement.executesAtPrepare(sql)) {
        deferred = DeferredStatement.parse(sql);
        h = super.createStatement(ch);
        h.signature = deferred.signature();
      } else {
        h = tracker.planned(session, sql, () -> super.prepare(ch, sql, maxRowCount));
        checkColumns(h.signature);
      }
      handles.addStatement(h.id, new StatementState(session, sql, deferred));
      return h;
    });
  }

  @Override public void closeStatement(StatementHandle h) {
    guarded(() -> {
      StatementState statement =
          handles.removeStatement(h.id, handles.session(h.connectionId));
      if (statement == null) {
        return null;
      }
      tracker.finish(statement, statement.running());
      super.closeStatement(h);
      return null;
    });
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, PrepareCallback callback) {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback) {
    return guarded(() -> run(h, sql,
        () -> super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback)));
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      long maxRowCount) {
    return execute(h, parameterValues, -1);
  }

  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) {
    return guarded(() -> {
      DeferredStatement deferred = handles.statement(h.id).deferred();
      if (deferred != null) {
        String sql = deferred.bind(parameterValues);
        return run(h, deferred.sql(),
            () -> super.prepareAndExecute(h, sql, -1, maxRowsInFirstFrame, null));
      }
      return run(h, handles.statement(h.id).preparedSql(),
          () -> super.execute(h, parameterValues, maxRowsInFirstFrame));
    });
  }

  @Override public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
    return guarded(() -> {
      owner(h);
      StatementState statement = handles.statement(h.id);
      RunningQuery query = statement.running();
      try {
        Frame frame = tracker.watched(query, () -> super.fetch(h, offset, fetchMaxRowCount));
        if (frame.done && query != null) {
          tracker.complete(statement, query);
        }
        return frame;
      } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
        throw tracker.failed(statement, query, e);
      }
    });
  }

  @Override public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return guarded(() -> {
      owner(sh);
      return super.syncResults(sh, state, offset);
    });
  }

  @Override public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h,
      List<String> sqlCommands) {
    return guarded(() -> {
      owner(h);
      return super.prepareAndExecuteBatch(h, sqlCommands);
    });
  }

  @Override public ExecuteBatchResult executeBatch(StatementHandle h,
      List<List<TypedValue>> parameterValues) {
    return guarded(() -> {
      owner(h);
      return super.executeBatch(h, parameterValues);
    });
  }

  /** Avatica's protobuf path of {@link #executeBatch}, which must not skip its checks. */
  @Override public ExecuteBatchResult executeBatchProtobuf(StatementHandle h,
      List<Requests.UpdateBatch> updateBatches) {
    return guarded(() -> {
      owner(h);
      return super.executeBatchProtobuf(h, updateBatches);
    });
  }

  // --- metadata: each only for the connection's owner ---------------------------------------

  @Override public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return guarded(() -> {
      live(ch.id);
      return SessionStart.databaseProperties(super.getDatabaseProperties(ch));
    });
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return guarded(() -> {
      live(ch.id);
      return super.getTables(ch, catalog, schemaPattern, tableNamePattern, typeList);
    });
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return guarded(() -> {
      live(ch.id);
      return super.getColumns(ch, catalog, schemaPattern, tableNamePattern, columnNamePattern);
    });
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalog,
      Pat schemaPattern) {
    return guarded(() -> {
      live(ch.id);
      return super.getSchemas(ch, catalog, schemaPattern);
    });
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return guarded(() -> {
      live(ch.id);
      return super.getCatalogs(ch);
    });
  }

  @Override public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return guarded(() -> {
      live(ch.id);
      return super.getTableTypes(ch);
    });
  }

  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return guarded(() -> {
      live(ch.id);
      return super.getTypeInfo(ch);
    });
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return guarded(() -> {
      live(ch.id);
      return super.getPrimaryKeys(ch, catalog, schema, table);
    });
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return guarded(() -> {
      live(ch.id);
      return super.getImportedKeys(ch, catalog, schema, table);
    });
  }

  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern) {
    return guarded(() -> {
      live(ch.id);
      return super.getFunctions(ch, catalog, schemaPattern, functionNamePattern);
    });
  }

  // --- sessions --------------------------------------------------------------------------

  /**
   * Cancels queries whose client has gone away, then expires abandoned connections (ending
   * their sessions), but first touches the connections and statements of running queries: a
   * client waiting for a long query sends no requests.
   */
  void sweep() {
    tracker.cancelAbandoned();
    handles.statements().forEach((statementId, statement) -> {
      if (statement.running() != null) {
        getStatementCache().getIfPresent(statementId);
      }
    });
    handles.connections().forEach((id, session) -> {
      if (session.activeQuery() != null) {
        getConnectionCache().getIfPresent(id);
      }
    });
    getStatementCache().cleanUp();
    getConnectionCache().cleanUp();
  }

  /** How many Avatica connections the node holds, whether or not their session is alive. */
  long openConnections() {
    return getConnectionCache().size();
  }

  /** Closes every session, cancelling what runs; used at shutdown. */
  void closeAll() {
    handles.connections().forEach((id, session) -> {
      engine.cancellations().closeSession(session, CancelCause.SHUTDOWN);
      getConnectionCache().invalidate(id);
    });
    handles.clear();
  }

  /** This node's handles, which {@link RequestGuard} checks requests against. */
  HandleTable handles() {
    return handles;
  }

  // --- internals ---------------------------------------------------------------------------

  /**
   * Runs one statement execution as a tracked query: registered before it starts, cancellable
   * throughout, kept open while its result set is being fetched.
   */
  private ExecuteResult run(StatementHandle h, String sql, Call<ExecuteResult> call)
      throws Exception {
    owner(h);
    StatementState statement = handles.statement(h.id);
    RunningQuery query = tracker.begin(statement, sql);
    try {
      ExecuteResult result = tracker.executed(query, call);
      query.executing();
      List<MetaResultSet> resultSets = new ArrayList<>(result.resultSets.size());
      boolean open = false;
      for (MetaResultSet rs : result.resultSets) {
        checkColumns(rs.signature);
        if (rs.updateCount >= 0 && query.updateCount() >= 0) {
          resultSets.add(MetaResultSet.count(rs.connectionId, rs.statementId,
              query.updateCount()));
        } else {
          resultSets.add(rs);
          open |= rs.firstFrame != null && !rs.firstFrame.done;
        }
      }
      if (!open) {
        tracker.complete(statement, query);
      }
      return new ExecuteResult(resultSets);
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw tracker.failed(statement, query, e);
    }
  }

  /**
   * Refuses ROW-typed result columns: JdbcMeta describes them as scalars, and Avatica's client
   * then fails casting them to a struct type, with no SQLSTATE.
   */
  static void checkColumns(Signature signature) {
    if (signature == null) {
      return;
    }
    for (ColumnMetaData column : signature.columns) {
      if (column.type.id == Types.STRUCT && !(column.type instanceof ColumnMetaData.StructType)) {
        throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED, "column " + column.label
            + " has type " + column.type.name + "; ROW values cannot be sent to clients");
      }
    }
  }

  /**
   * The live session of {@code connectionId}, whose connection this use keeps from expiring:
   * Avatica counts only calls that look the connection up, so a client that merely executed
   * prepared statements lost its session after the expiry (found by ClientDisappearanceTest).
   */
  private Session live(String connectionId) {
    Session session = handles.session(connectionId);
    session.checkAlive();
    getConnectionCache().getIfPresent(connectionId);
    return session;
  }

  /**
   * The live session owning statement {@code h}, which {@link RequestGuard} has admitted.
   * Handles of dead sessions stay usable for creating and closing statements, because
   * Avatica's client reports failures there as unchecked exceptions; they fail, with 57P01,
   * where work would start.
   */
  private Session owner(StatementHandle h) {
    return live(h.connectionId);
  }

  /**
   * Runs {@code body} and turns whatever it throws into Avatica's error carrying Quell's
   * SQLSTATE, which both the HTTP handler and the embedded transport pass on to the client.
   */
  private static <T> T guarded(Call<T> body) {
    try {
      return body.run();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      // The errors too: generated code fails in static initializers (a constant CAST that
      // cannot convert), Calcite asserts, deep nesting overflows; unanswered, each would reach
      // Jetty as an HTML 500 page that the client cannot read, with no SQLSTATE.
      QuellException error = QuellException.unwrap(e);
      AvaticaRuntimeException reply = new AvaticaRuntimeException(error.getMessage(), -1,
          error.sqlState().code(), AvaticaSeverity.ERROR);
      // For the server log, which keeps the trace under the reply's error id.
      reply.initCause(e);
      throw reply;
    }
  }
}
