package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaImpl;

import java.sql.SQLException;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The Meta of one {@code jdbc:quell:embedded:} connection: Calcite's own Meta over the
 * session's engine connection, with the front end's session, tracking and errors around it.
 * No request objects, no second JDBC layer: the client's result set reads the plan's rows as
 * Calcite's own driver does ({@link TrackedRows}). The process is trusted and the Meta serves
 * one connection, so a handle can only name this session's statements; there is nothing to
 * guard and no client to lose, so such a connection never expires.
 *
 * <p>Each client statement is a statement of Calcite's Meta on the engine connection, under
 * the same id, so that Calcite finds its signature and cancel flag by the client's handle.
 */
final class EmbeddedMeta implements Meta {
  /** Closed statements' engine handles kept for reuse, at most. */
  private static final int IDLE_HANDLES = 8;

  private final QuellNode node;
  private final QuellEngine engine;
  private final QueryTracker tracker;
  private final Map<Integer, Handle> statements = new ConcurrentHashMap<>();
  /**
   * Engine handles of closed plain statements, with the JDBC statement Calcite made for each:
   * a statement a BI tool makes for each query would otherwise cost Calcite a statement of its
   * own each time (a tenth of an ad-hoc statement's time on a plan-cache hit).
   */
  private final Deque<Integer> idle = new ConcurrentLinkedDeque<>();
  private volatile CalciteConnection connection;
  private volatile AvaticaConnection engineStatements;
  private volatile Meta calcite;
  private volatile Session session;

  /**
   * A client statement: what the front end tracks of it, and the parameter values of its
   * execution, which Avatica's client hands to {@link #execute} but not to
   * {@link #createIterable}, where Calcite binds them.
   */
  private static final class Handle {
    final StatementState state;
    volatile List<TypedValue> parameters = List.of();

    Handle(StatementState state) {
      this.state = state;
    }
  }

  EmbeddedMeta(QuellNode node, QuellEngine engine, QueryTracker tracker) {
    this.node = node;
    this.engine = engine;
    this.tracker = tracker;
  }

  // --- connection --------------------------------------------------------------------------

  @Override public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    guarded(() -> {
      String user = info == null ? null : info.get("user");
      connection = (CalciteConnection) SessionStart.engineConnection(engine, user);
      engineStatements = connection.unwrap(AvaticaConnection.class);
      calcite = CalciteMetaImpl.create(connection);
      try {
        session = SessionStart.open(engine, user, "embedded",
            info == null ? "" : info.getOrDefault("applicationName", ""), connection);
      } catch (RuntimeException refused) {
        connection.close();
        throw refused;
      }
      node.opened(this);
      return null;
    });
  }

  @Override public void closeConnection(ConnectionHandle ch) {
    guarded(() -> {
      end(CancelCause.CONNECTION_CLOSED);
      return null;
    });
  }

  /** Ends the session for {@code cause}, cancelling what it runs, and closes its connection. */
  void end(CancelCause cause) throws SQLException {
    node.closed(this);
    engine.cancellations().closeSession(session, cause);
    statements.clear();
    connection.close();
  }

  /** See {@link QuellMeta#connectionSync}: the isolation stays READ COMMITTED. */
  @Override public ConnectionProperties connectionSync(ConnectionHandle ch,
      ConnectionProperties settings) {
    return guarded(() -> {
      if (settings.isAutoCommit() != null) {
        connection.setAutoCommit(settings.isAutoCommit());
      }
      if (settings.isReadOnly() != null) {
        connection.setReadOnly(settings.isReadOnly());
      }
      if (settings.getCatalog() != null) {
        connection.setCatalog(settings.getCatalog());
      }
      if (settings.getSchema() != null) {
        connection.setSchema(settings.getSchema());
      }
      return new ConnectionPropertiesImpl(connection.getAutoCommit(), connection.isReadOnly(),
          SessionStart.ISOLATION, connection.getCatalog(), connection.getSchema());
    });
  }

  @Override public void commit(ConnectionHandle ch) {
    guarded(this::live);
  }

  @Override public void rollback(ConnectionHandle ch) {
    guarded(this::live);
  }

  // --- statements --------------------------------------------------------------------------

  @Override public StatementHandle createStatement(ConnectionHandle ch) {
    return guarded(() -> {
      Integer reused = idle.poll();
      StatementHandle h = reused == null ? calcite.createStatement(ch)
          : new StatementHandle(ch.id, reused, null);
      return add(h, new StatementState(session, "", null));
    });
  }

  @Override public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return guarded(() -> {
      live();
      if (DeferredStatement.executesAtPrepare(sql)) {
        DeferredStatement deferred = DeferredStatement.parse(sql);
        StatementHandle h = calcite.createStatement(ch);
        h.signature = deferred.signature();
        return add(h, new StatementState(session, sql, deferred));
      }
      StatementHandle h = tracker.planned(session, sql, () -> calcite.prepare(ch, sql,
          maxRowCount));
      QuellMeta.checkColumns(h.signature);
      return add(h, new StatementState(session, sql, null));
    });
  }

  private StatementHandle add(StatementHandle h, StatementState state) {
    statements.put(h.id, new Handle(state));
    return h;
  }

  @Override public void closeStatement(StatementHandle h) {
    guarded(() -> {
      Handle handle = statements.remove(h.id);
      if (handle != null) {
        tracker.finish(handle.state, handle.state.running());
      }
      // Calcite makes a JDBC statement for the handle when it first runs it (or for a
      // metadata result set); closing it closes the handle too.
      AvaticaStatement engineStatement = engineStatements.statementMap.get(h.id);
      if (handle != null && handle.state.preparedSql().isEmpty() && engineStatement != null
          && idle.size() < IDLE_HANDLES) {
        idle.push(h.id);
        return null;
      }
      if (engineStatement != null) {
        engineStatement.close();
      } else {
        calcite.closeStatement(h);
      }
      return null;
    });
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, PrepareCallback callback) throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback) {
    return guarded(() -> {
      live();
      StatementState statement = handle(h).state;
      return run(statement, tracker.begin(statement, sql), query -> calcite.prepareAndExecute(
          h, sql, maxRowCount, maxRowsInFirstFrame, new Counted(callback, query)));
    });
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      long maxRowCount) throws NoSuchStatementException {
    return execute(h, parameterValues, -1);
  }

  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) {
    return guarded(() -> {
      live();
      Handle handle = handle(h);
      StatementState statement = handle.state;
      DeferredStatement deferred = statement.deferred();
      if (deferred != null) {
        String sql = deferred.bind(parameterValues);
        return run(statement, tracker.begin(statement, deferred.sql()), query -> {
          Counted counted = new Counted(null, query);
          calcite.prepareAndExecute(h, sql, -1, -1, counted);
          return new ExecuteResult(List.of(
              MetaResultSet.count(h.connectionId, h.id, counted.updateCount)));
        });
      }
      handle.parameters = parameterValues;
      return run(statement, tracker.begin(statement, statement.preparedSql()),
          query -> calcite.execute(h, parameterValues, maxRowsInFirstFrame));
    });
  }

  /**
   * Runs {@code query}'s execution under its cancel flag. It is done unless it left a result
   * set open, whose rows the client reads through {@link #createIterable}.
   */
  private ExecuteResult run(StatementState statement, RunningQuery query, Execution execution)
      throws Exception {
    try {
      ExecuteResult result = tracker.executed(query, () -> execution.run(query));
      query.executing();
      MetaResultSet first = result.resultSets.get(0);
      if (first.updateCount >= 0 || first.signature == null
          || first.signature.statementType.canUpdate()) {
        tracker.complete(statement, query);
      }
      return result;
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw tracker.failed(statement, query, e);
    }
  }

  @Override public Iterable<Object> createIterable(StatementHandle h, QueryState state,
      Signature signature, List<TypedValue> parameterValues, Frame firstFrame) {
    return guarded(() -> {
      Handle handle = statements.get(h.id);
      RunningQuery query = handle == null ? null : handle.state.running();
      if (query == null) {
        // a metadata result set, which Calcite made and does not run as a query
        return calcite.createIterable(h, state, signature, parameterValues, firstFrame);
      }
      QuellMeta.checkColumns(signature);
      List<TypedValue> values = parameterValues.isEmpty() ? handle.parameters : parameterValues;
      try {
        return tracker.watched(query, () -> new TrackedRows(
            calcite.createIterable(h, state, signature, values, firstFrame), tracker,
            handle.state, query, this::clientFailure));
      } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
        throw tracker.failed(handle.state, query, e);
      }
    });
  }

  @Override public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
    return guarded(() -> calcite.fetch(h, offset, fetchMaxRowCount));
  }

  @Override public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return guarded(() -> calcite.syncResults(sh, state, offset));
  }

  @Override public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h,
      List<String> sqlCommands) {
    return guarded(() -> {
      live();
      return calcite.prepareAndExecuteBatch(h, sqlCommands);
    });
  }

  @Override public ExecuteBatchResult executeBatch(StatementHandle h,
      List<List<TypedValue>> parameterValues) {
    return guarded(() -> {
      live();
      return calcite.executeBatch(h, parameterValues);
    });
  }

  // --- metadata: Calcite's, for a live session ------------------------------------------------

  @Override public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return metadata(() -> SessionStart.databaseProperties(calcite.getDatabaseProperties(ch)));
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return metadata(() -> calcite.getTables(ch, catalog, schemaPattern, tableNamePattern,
        typeList));
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(() -> calcite.getColumns(ch, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalog,
      Pat schemaPattern) {
    return metadata(() -> calcite.getSchemas(ch, catalog, schemaPattern));
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(() -> calcite.getCatalogs(ch));
  }

  @Override public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadata(() -> calcite.getTableTypes(ch));
  }

  @Override public MetaResultSet getProcedures(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern) {
    return metadata(() -> calcite.getProcedures(ch, catalog, schemaPattern,
        procedureNamePattern));
  }

  @Override public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern, Pat columnNamePattern) {
    return metadata(() -> calcite.getProcedureColumns(ch, catalog, schemaPattern,
        procedureNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog,
      String schema, String table, Pat columnNamePattern) {
    return metadata(() -> calcite.getColumnPrivileges(ch, catalog, schema, table,
        columnNamePattern));
  }

  @Override public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return metadata(() -> calcite.getTablePrivileges(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog,
      String schema, String table, int scope, boolean nullable) {
    return metadata(() -> calcite.getBestRowIdentifier(ch, catalog, schema, table, scope,
        nullable));
  }

  @Override public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(() -> calcite.getVersionColumns(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(() -> calcite.getPrimaryKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(() -> calcite.getImportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(() -> calcite.getExportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog,
      String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
      String foreignTable) {
    return metadata(() -> calcite.getCrossReference(ch, parentCatalog, parentSchema,
        parentTable, foreignCatalog, foreignSchema, foreignTable));
  }

  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(() -> calcite.getTypeInfo(ch));
  }

  @Override public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog,
      String schema, String table, boolean unique, boolean approximate) {
    return metadata(() -> calcite.getIndexInfo(ch, catalog, schema, table, unique,
        approximate));
  }

  @Override public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return metadata(() -> calcite.getUDTs(ch, catalog, schemaPattern, typeNamePattern, types));
  }

  @Override public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern) {
    return metadata(() -> calcite.getSuperTypes(ch, catalog, schemaPattern, typeNamePattern));
  }

  @Override public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return metadata(() -> calcite.getSuperTables(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getAttributes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern, Pat attributeNamePattern) {
    return metadata(() -> calcite.getAttributes(ch, catalog, schemaPattern, typeNamePattern,
        attributeNamePattern));
  }

  @Override public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadata(() -> calcite.getClientInfoProperties(ch));
  }

  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern) {
    return metadata(() -> calcite.getFunctions(ch, catalog, schemaPattern,
        functionNamePattern));
  }

  @Override public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern, Pat columnNamePattern) {
    return metadata(() -> calcite.getFunctionColumns(ch, catalog, schemaPattern,
        functionNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(() -> calcite.getPseudoColumns(ch, catalog, schemaPattern,
        tableNamePattern, columnNamePattern));
  }

  // --- internals ---------------------------------------------------------------------------

  /** The live session; 57P01 once it has ended. */
  private Void live() {
    session.checkAlive();
    return null;
  }

  private Handle handle(StatementHandle h) {
    Handle handle = statements.get(h.id);
    if (handle == null) {
      throw new QuellException(SqlState.INVALID_STATEMENT_NAME, "statement does not exist");
    }
    return handle;
  }

  private <T> T metadata(Call<T> call) {
    return guarded(() -> {
      live();
      return call.run();
    });
  }

  /** Runs {@code body}; whatever it throws leaves as the client's error with its SQLSTATE. */
  private <T> T guarded(Call<T> body) {
    try {
      return body.run();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw clientFailure(e);
    }
  }

  private RuntimeException clientFailure(Throwable e) {
    return node.errorReplies().clientException(e);
  }

  /** One execution of a tracked query. */
  @FunctionalInterface
  private interface Execution {
    ExecuteResult run(RunningQuery query) throws Exception;
  }

  /**
   * The client's callback (none for a deferred statement), told the count the engine's
   * statement reports where the statement has one (a CANCEL's, of what it cancelled) instead
   * of Calcite's 0 for any DDL.
   */
  private static final class Counted implements PrepareCallback {
    private final PrepareCallback client;
    private final RunningQuery query;
    private long updateCount = -1;

    Counted(PrepareCallback client, RunningQuery query) {
      this.client = client;
      this.query = query;
    }

    @Override public Object getMonitor() {
      return client == null ? this : client.getMonitor();
    }

    @Override public void clear() throws SQLException {
      if (client != null) {
        client.clear();
      }
    }

    @Override public void assign(Signature signature, Frame firstFrame, long count)
        throws SQLException {
      updateCount = count >= 0 && query.updateCount() >= 0 ? query.updateCount() : count;
      if (client != null) {
        client.assign(signature, firstFrame, updateCount);
      }
    }

    @Override public void execute() throws SQLException {
      if (client != null) {
        client.execute();
      }
    }
  }
}
