package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.execution.PlannedQuery;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaImpl;

import java.sql.SQLException;
import java.sql.Types;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * The Meta of one session, over Calcite's own Meta on the session's engine connection, with
 * the front end's session, tracking and errors around it: every front end runs its statements
 * here. An embedded connection ({@code jdbc:quell:embedded:}) uses it as its Meta and reads
 * the plan's rows as Calcite's own driver does ({@link TrackedRows}); an HTTP connection
 * reaches it through {@link ServerMeta}, which routes Avatica's requests by connection id, and
 * receives rows in frames ({@link Frames}) that the statement's server-side cursor fills.
 *
 * <p>Each client statement is a statement of Calcite's Meta on the engine connection, under
 * the same id, so that Calcite finds its signature and cancel flag by the client's handle.
 */
final class SessionMeta implements Meta {
  /** Closed statements' engine handles kept for reuse, at most. */
  private static final int IDLE_HANDLES = 8;

  private final QuellNode node;
  private final QuellEngine engine;
  private final QueryTracker tracker;
  /** Whether the client is remote, reading rows in frames of a cursor kept here. */
  private final boolean framed;
  /** What an error becomes at this session's boundary. */
  private final Function<Throwable, RuntimeException> errors;
  private final Map<Integer, Handle> statements = new ConcurrentHashMap<>();
  /**
   * Engine handles of closed plain statements, with the JDBC statement Calcite made for each:
   * a statement a BI tool makes for each query would otherwise cost Calcite a statement of its
   * own each time (a tenth of an ad-hoc statement's time on a plan-cache hit).
   */
  private final Deque<Integer> idle = new ConcurrentLinkedDeque<>();
  private volatile CalciteConnection connection;
  /** The id of the embedded client connection this Meta serves; null over HTTP. */
  private volatile String clientHandle;
  private volatile AvaticaConnection engineStatements;
  private volatile Meta calcite;
  private volatile Session session;

  /**
   * A client statement: what the front end tracks of it, the parameter values of its
   * execution (which Avatica's client hands to {@link #execute} but not to
   * {@link #createIterable}, where Calcite binds them), and for a remote client the rows it
   * has yet to fetch.
   */
  private static final class Handle {
    final StatementState state;
    volatile List<TypedValue> parameters = List.of();
    volatile TrackedRows cursor;
    volatile CursorFactory cursorFactory;

    Handle(StatementState state) {
      this.state = state;
    }
  }

  private SessionMeta(QuellNode node, boolean framed,
      Function<Throwable, RuntimeException> errors) {
    this.node = node;
    this.engine = node.engine();
    this.tracker = node.queries();
    this.framed = framed;
    this.errors = errors;
  }

  /**
   * The Meta of an embedded connection, whose client gets Avatica's client errors as a reply
   * over HTTP would give them.
   */
  static SessionMeta embedded(QuellNode node) {
    return new SessionMeta(node, false, node.errorReplies()::clientException);
  }

  /**
   * The Meta of a session over HTTP: its errors leave with their SQLSTATE for the server's
   * handler to reply with.
   */
  static SessionMeta remote(QuellNode node) {
    return new SessionMeta(node, true, QuellException::unwrap);
  }

  // --- connection --------------------------------------------------------------------------

  /**
   * An embedded connection opens as the user its properties name, from the client address a
   * front end in this process (pgwire) names, or {@code embedded}.
   */
  @Override public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    clientHandle = ch.id;
    open(info == null ? null : info.get("user"),
        info == null ? "embedded" : info.getOrDefault(QuellNode.CLIENT_ADDRESS, "embedded"),
        info == null ? "" : info.getOrDefault("applicationName", ""));
  }

  /**
   * Opens the session of {@code user} (the default user if null) from {@code clientAddress}:
   * the login check, an engine connection set up as every client expects it, then the
   * session, which may still be refused (a connection limit, a drain).
   */
  void open(String user, String clientAddress, String applicationName) {
    guarded(() -> {
      connection = (CalciteConnection) SessionStart.engineConnection(engine, user);
      engineStatements = connection.unwrap(AvaticaConnection.class);
      calcite = CalciteMetaImpl.create(connection);
      try {
        session = SessionStart.open(engine, user, clientAddress, applicationName, connection);
      } catch (RuntimeException refused) {
        connection.close();
        throw refused;
      }
      node.opened(this);
      return null;
    });
  }

  Session session() {
    return session;
  }

  /** Whether this is the Meta of {@code client}, an embedded connection. */
  boolean serves(AvaticaConnection client) {
    return client.handle.id.equals(clientHandle);
  }


  @Override public void closeConnection(ConnectionHandle ch) {
    end(CancelCause.CONNECTION_CLOSED);
  }

  /** Ends the session for {@code cause}, cancelling what it runs, and closes its connection. */
  void end(CancelCause cause) {
    guarded(() -> {
      node.closed(this);
      engine.cancellations().closeSession(session, cause);
      statements.clear();
      connection.close();
      return null;
    });
  }

  /**
   * The client's auto-commit, read-only and schema settings, kept as it sets them; the
   * isolation level stays {@link SessionStart#ISOLATION} whatever a client asks (Avatica's
   * client sends settings with its next request, too late to refuse one without poisoning
   * every later request; {@code jdbc:quell://} refuses other levels itself, with 0A000).
   * No liveness check: Avatica's client syncs before it creates a statement, where handles of
   * dead sessions stay usable.
   */
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

  /**
   * Nothing to commit: every statement takes effect as it runs (see
   * {@link SessionStart#ISOLATION}), so a client in manual-commit mode (BI tools, pools, ORMs)
   * may commit as it likes.
   */
  @Override public void commit(ConnectionHandle ch) {
    guarded(this::live);
  }

  /** Nothing to roll back: what a statement changed, users and roles included, stays. */
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
      checkColumns(h.signature);
      add(h, new StatementState(session, sql, null));
      // The engine's statement keeps Calcite's signature; a remote client reads lists.
      return framed ? new StatementHandle(h.connectionId, h.id, Frames.forClient(h.signature))
          : h;
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
        closeCursor(handle);
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

  /** {@code callback} is the embedded client's; a remote client has none. */
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback) {
    return guarded(() -> {
      live();
      Handle handle = handle(h);
      return run(h, handle, begin(handle, sql), maxRowsInFirstFrame,
          query -> calcite.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame,
              new Counted(callback, query)));
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
      DeferredStatement deferred = handle.state.deferred();
      if (deferred != null) {
        String sql = deferred.bind(parameterValues);
        return run(h, handle, begin(handle, deferred.sql()), -1, query -> {
          Counted counted = new Counted(null, query);
          calcite.prepareAndExecute(h, sql, -1, -1, counted);
          return new ExecuteResult(List.of(
              MetaResultSet.count(h.connectionId, h.id, counted.updateCount)));
        });
      }
      handle.parameters = parameterValues == null ? List.of() : parameterValues;
      return run(h, handle, begin(handle, handle.state.preparedSql()), maxRowsInFirstFrame,
          query -> calcite.execute(h, handle.parameters, maxRowsInFirstFrame));
    });
  }

  /** Begins {@code sql} as the statement's query, closing the rows of its last one. */
  private RunningQuery begin(Handle handle, String sql) throws Exception {
    closeCursor(handle);
    return tracker.begin(handle.state, sql);
  }

  /**
   * Runs {@code query}'s execution under its cancel flag. An embedded client's query is done
   * unless it left a result set open, whose rows the client reads through
   * {@link #createIterable}; a remote client's result comes back with its first frame.
   */
  private ExecuteResult run(StatementHandle h, Handle handle, RunningQuery query,
      int maxRowsInFirstFrame, Execution execution) throws Exception {
    try {
      ExecuteResult result = tracker.executed(query, () -> execution.run(query));
      query.executing();
      MetaResultSet first = result.resultSets.get(0);
      if (framed) {
        return tracker.watched(query, () -> firstFrame(h, handle, query, first,
            maxRowsInFirstFrame));
      }
      if (first.updateCount >= 0 || first.signature == null
          || first.signature.statementType.canUpdate()) {
        tracker.complete(handle.state, query);
      }
      return result;
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw tracker.failed(handle.state, query, e);
    }
  }

  /**
   * The result of an execution as a remote client receives it: an update count (a
   * modification's, read from its one row; a statement's own, as a CANCEL's), or the rows'
   * signature and first frame, the rest kept in the statement's cursor for {@link #fetch}.
   */
  private ExecuteResult firstFrame(StatementHandle h, Handle handle, RunningQuery query,
      MetaResultSet result, int maxRowsInFirstFrame) throws Exception {
    if (result.updateCount >= 0 || result.signature == null) {
      tracker.complete(handle.state, query);
      return count(h, statementCount(Math.max(result.updateCount, 0), query));
    }
    TrackedRows rows = rows(h, handle, query, result.signature);
    if (result.signature.statementType.canUpdate()) {
      long count = ((Number) PlannedQuery.firstColumn(rows.next())).longValue();
      rows.hasNext();
      return count(h, count);
    }
    handle.cursorFactory = result.signature.cursorFactory;
    handle.cursor = rows;
    Frame frame = Frames.next(rows, handle.cursorFactory, 0,
        Frames.firstFrameRows(maxRowsInFirstFrame));
    return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false,
        Frames.forClient(result.signature), frame)));
  }

  private static ExecuteResult count(StatementHandle h, long count) {
    return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
  }

  /** The rows of {@code query}, read from its plan as its work. */
  private TrackedRows rows(StatementHandle h, Handle handle, RunningQuery query,
      Signature signature) throws Exception {
    checkColumns(signature);
    return tracker.watched(query, () -> new TrackedRows(
        calcite.createIterable(h, null, signature, handle.parameters, null), tracker,
        handle.state, query, errors));
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
      if (parameterValues != null && !parameterValues.isEmpty()) {
        handle.parameters = parameterValues;
      }
      try {
        return rows(h, handle, query, signature);
      } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
        throw tracker.failed(handle.state, query, e);
      }
    });
  }

  /** The next frame of a remote client's rows; 24000 if the statement has no result set. */
  @Override public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
    return guarded(() -> {
      live();
      Handle handle = handle(h);
      TrackedRows cursor = handle.cursor;
      if (cursor == null) {
        throw new QuellException(SqlState.INVALID_CURSOR_STATE,
            "the statement has no result set to fetch from");
      }
      return tracker.watched(handle.state.running(),
          () -> Frames.next(cursor, handle.cursorFactory, offset, fetchMaxRowCount));
    });
  }

  private void closeCursor(Handle handle) throws Exception {
    TrackedRows cursor = handle.cursor;
    if (cursor != null) {
      handle.cursor = null;
      cursor.close();
    }
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
    return guarded(() -> {
      live();
      return SessionStart.databaseProperties(calcite.getDatabaseProperties(ch));
    });
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return metadata(ch, () -> calcite.getTables(ch, catalog, schemaPattern, tableNamePattern,
        typeList));
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(ch, () -> calcite.getColumns(ch, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalog,
      Pat schemaPattern) {
    return metadata(ch, () -> calcite.getSchemas(ch, catalog, schemaPattern));
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(ch, () -> calcite.getCatalogs(ch));
  }

  @Override public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadata(ch, () -> calcite.getTableTypes(ch));
  }

  @Override public MetaResultSet getProcedures(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern) {
    return metadata(ch, () -> calcite.getProcedures(ch, catalog, schemaPattern,
        procedureNamePattern));
  }

  @Override public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern, Pat columnNamePattern) {
    return metadata(ch, () -> calcite.getProcedureColumns(ch, catalog, schemaPattern,
        procedureNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog,
      String schema, String table, Pat columnNamePattern) {
    return metadata(ch, () -> calcite.getColumnPrivileges(ch, catalog, schema, table,
        columnNamePattern));
  }

  @Override public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return metadata(ch, () -> calcite.getTablePrivileges(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog,
      String schema, String table, int scope, boolean nullable) {
    return metadata(ch, () -> calcite.getBestRowIdentifier(ch, catalog, schema, table, scope,
        nullable));
  }

  @Override public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(ch, () -> calcite.getVersionColumns(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(ch, () -> calcite.getPrimaryKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(ch, () -> calcite.getImportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return metadata(ch, () -> calcite.getExportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog,
      String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
      String foreignTable) {
    return metadata(ch, () -> calcite.getCrossReference(ch, parentCatalog, parentSchema,
        parentTable, foreignCatalog, foreignSchema, foreignTable));
  }

  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(ch, () -> calcite.getTypeInfo(ch));
  }

  @Override public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog,
      String schema, String table, boolean unique, boolean approximate) {
    return metadata(ch, () -> calcite.getIndexInfo(ch, catalog, schema, table, unique,
        approximate));
  }

  @Override public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return metadata(ch, () -> calcite.getUDTs(ch, catalog, schemaPattern, typeNamePattern, types));
  }

  @Override public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern) {
    return metadata(ch, () -> calcite.getSuperTypes(ch, catalog, schemaPattern, typeNamePattern));
  }

  @Override public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return metadata(ch, () -> calcite.getSuperTables(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getAttributes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern, Pat attributeNamePattern) {
    return metadata(ch, () -> calcite.getAttributes(ch, catalog, schemaPattern, typeNamePattern,
        attributeNamePattern));
  }

  @Override public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadata(ch, () -> calcite.getClientInfoProperties(ch));
  }

  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern) {
    return metadata(ch, () -> calcite.getFunctions(ch, catalog, schemaPattern,
        functionNamePattern));
  }

  @Override public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern, Pat columnNamePattern) {
    return metadata(ch, () -> calcite.getFunctionColumns(ch, catalog, schemaPattern,
        functionNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadata(ch, () -> calcite.getPseudoColumns(ch, catalog, schemaPattern,
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

  /** A metadata result for a live session, in the form its client reads. */
  private MetaResultSet metadata(ConnectionHandle ch, Call<MetaResultSet> call) {
    return guarded(() -> {
      live();
      MetaResultSet result = call.run();
      return framed ? Frames.metadata(result, ch.id) : result;
    });
  }

  /**
   * Runs {@code body}; whatever it throws leaves as the client's error with its SQLSTATE. The
   * errors too: generated code fails in static initializers (a constant CAST that cannot
   * convert), Calcite asserts, deep nesting overflows; unanswered, each would reach Jetty as an
   * HTML page that the client cannot read, with no SQLSTATE.
   */
  private <T> T guarded(Call<T> body) {
    try {
      return body.run();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      throw errors.apply(e);
    }
  }

  /**
   * Refuses ROW-typed result columns that the client cannot read: neither of Avatica's wire
   * formats carries a row value, and its in-process client fails casting one that Calcite
   * describes as a scalar to a struct type, with no SQLSTATE.
   */
  private void checkColumns(Signature signature) {
    if (signature == null) {
      return;
    }
    for (ColumnMetaData column : signature.columns) {
      if (column.type.id == Types.STRUCT
          && (framed || !(column.type instanceof ColumnMetaData.StructType))) {
        throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED, "column " + column.label
            + " has type " + column.type.name + "; ROW values cannot be sent to clients");
      }
    }
  }

  /**
   * The count a statement reports: the engine's own where the statement has one (a CANCEL's,
   * of what it cancelled) instead of Calcite's 0 for any DDL.
   */
  private static long statementCount(long engineCount, RunningQuery query) {
    return engineCount >= 0 && query.updateCount() >= 0 ? query.updateCount() : engineCount;
  }

  /** One execution of a tracked query. */
  @FunctionalInterface
  private interface Execution {
    ExecuteResult run(RunningQuery query) throws Exception;
  }

  /**
   * The embedded client's callback (none for a deferred statement or a remote client), told
   * the count the statement reports ({@link #statementCount}).
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
      updateCount = statementCount(count, query);
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
