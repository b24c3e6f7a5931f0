package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.CancelCause;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.TypedValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP front end: a router from Avatica's connection ids to the sessions' own
 * {@link SessionMeta}s, which run every statement as an embedded connection's do. Here only
 * what a remote client adds: which session a connection id names (after {@link RequestGuard}
 * has checked that the caller owns it), who opened it from where, and expiry of connections
 * whose client went away.
 */
final class ServerMeta implements ProtobufMeta {
  private final QuellNode node;
  private final Duration expiry;
  private final HandleTable handles = new HandleTable();

  ServerMeta(QuellNode node, Duration expiry) {
    this.node = node;
    this.expiry = expiry;
  }

  /** This node's handles, which {@link RequestGuard} checks requests against. */
  HandleTable handles() {
    return handles;
  }

  // --- connections -------------------------------------------------------------------------

  /**
   * Opens the session of the user the HTTP request authenticated (in-process, the user the
   * properties name), from the request's client address.
   */
  @Override public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    RequestContext request = RequestContext.current();
    String user = request != null ? request.user() : info == null ? null : info.get("user");
    SessionMeta session = SessionMeta.remote(node);
    session.open(user, request != null ? request.clientAddress() : "embedded",
        info == null ? "" : info.getOrDefault("applicationName", ""));
    if (!handles.add(ch.id, session)) {
      session.closeConnection(ch);
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "connection already exists");
    }
  }

  @Override public void closeConnection(ConnectionHandle ch) {
    handles.remove(ch.id).closeConnection(ch);
  }

  /** Ends the sessions of connections no request has used for the node's connection expiry. */
  void expire() {
    for (SessionMeta session : handles.removeExpired(expiry)) {
      session.end(CancelCause.CONNECTION_EXPIRED);
    }
  }

  /** How many connections over HTTP the node holds, whether or not their session is alive. */
  long openConnections() {
    return handles.size();
  }

  /** Forgets every connection; their sessions end with the node. */
  void clear() {
    handles.clear();
  }

  @Override public ConnectionProperties connectionSync(ConnectionHandle ch,
      ConnectionProperties connProps) {
    return session(ch).connectionSync(ch, connProps);
  }

  @Override public void commit(ConnectionHandle ch) {
    session(ch).commit(ch);
  }

  @Override public void rollback(ConnectionHandle ch) {
    session(ch).rollback(ch);
  }

  // --- statements --------------------------------------------------------------------------

  @Override public StatementHandle createStatement(ConnectionHandle ch) {
    return forClient(session(ch).createStatement(ch));
  }

  @Override public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return forClient(session(ch).prepare(ch, sql, maxRowCount));
  }

  @Override public void closeStatement(StatementHandle h) {
    session(h).closeStatement(engine(h));
    handles.removeStatement(h.connectionId, h.id);
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, PrepareCallback callback) {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  /**
   * Avatica's service hands a callback that does nothing but lock one monitor for every
   * statement of the node; the session needs none.
   */
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback) {
    return forClient(h, session(h).prepareAndExecute(engine(h), sql, maxRowCount,
        maxRowsInFirstFrame, null));
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      long maxRowCount) {
    return execute(h, parameterValues, -1);
  }

  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) {
    return forClient(h, session(h).execute(engine(h), parameterValues, maxRowsInFirstFrame));
  }

  @Override public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
    return session(h).fetch(engine(h), offset, fetchMaxRowCount);
  }

  @Override public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return session(sh).syncResults(engine(sh), state, offset);
  }

  @Override public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h,
      List<String> sqlCommands) {
    return session(h).prepareAndExecuteBatch(engine(h), sqlCommands);
  }

  @Override public ExecuteBatchResult executeBatch(StatementHandle h,
      List<List<TypedValue>> parameterValues) {
    return session(h).executeBatch(engine(h), parameterValues);
  }

  /** Avatica's protobuf form of {@link #executeBatch}, whose values come undecoded. */
  @Override public ExecuteBatchResult executeBatchProtobuf(StatementHandle h,
      List<Requests.UpdateBatch> updateBatches) {
    List<List<TypedValue>> parameterValues = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch batch : updateBatches) {
      parameterValues.add(batch.getParameterValuesList().stream()
          .map(TypedValue::fromProto).toList());
    }
    return executeBatch(h, parameterValues);
  }

  /** Only an in-process client reads rows through an iterable; a remote one fetches frames. */
  @Override public Iterable<Object> createIterable(StatementHandle h, QueryState state,
      Signature signature, List<TypedValue> parameterValues, Frame firstFrame) {
    throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
        "rows of a remote connection are fetched in frames");
  }

  // --- metadata: the session's -------------------------------------------------------------

  @Override public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return session(ch).getDatabaseProperties(ch);
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return forClient(session(ch).getTables(ch, catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return forClient(session(ch).getColumns(ch, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalog,
      Pat schemaPattern) {
    return forClient(session(ch).getSchemas(ch, catalog, schemaPattern));
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return forClient(session(ch).getCatalogs(ch));
  }

  @Override public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return forClient(session(ch).getTableTypes(ch));
  }

  @Override public MetaResultSet getProcedures(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern) {
    return forClient(session(ch).getProcedures(ch, catalog, schemaPattern, procedureNamePattern));
  }

  @Override public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat procedureNamePattern, Pat columnNamePattern) {
    return forClient(session(ch).getProcedureColumns(ch, catalog, schemaPattern, procedureNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog,
      String schema, String table, Pat columnNamePattern) {
    return forClient(session(ch).getColumnPrivileges(ch, catalog, schema, table, columnNamePattern));
  }

  @Override public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return forClient(session(ch).getTablePrivileges(ch, catalog, schemaPattern, tableNamePattern));
  }

  @Override public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog,
      String schema, String table, int scope, boolean nullable) {
    return forClient(session(ch).getBestRowIdentifier(ch, catalog, schema, table, scope, nullable));
  }

  @Override public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return forClient(session(ch).getVersionColumns(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return forClient(session(ch).getPrimaryKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return forClient(session(ch).getImportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog,
      String schema, String table) {
    return forClient(session(ch).getExportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog,
      String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
      String foreignTable) {
    return forClient(session(ch).getCrossReference(ch, parentCatalog, parentSchema, parentTable,
        foreignCatalog, foreignSchema, foreignTable));
  }

  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return forClient(session(ch).getTypeInfo(ch));
  }

  @Override public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog,
      String schema, String table, boolean unique, boolean approximate) {
    return forClient(session(ch).getIndexInfo(ch, catalog, schema, table, unique, approximate));
  }

  @Override public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return forClient(session(ch).getUDTs(ch, catalog, schemaPattern, typeNamePattern, types));
  }

  @Override public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern) {
    return forClient(session(ch).getSuperTypes(ch, catalog, schemaPattern, typeNamePattern));
  }

  @Override public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern) {
    return forClient(session(ch).getSuperTables(ch, catalog, schemaPattern, tableNamePattern));
  }

  @Override public MetaResultSet getAttributes(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat typeNamePattern, Pat attributeNamePattern) {
    return forClient(session(ch).getAttributes(ch, catalog, schemaPattern, typeNamePattern,
        attributeNamePattern));
  }

  @Override public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return forClient(session(ch).getClientInfoProperties(ch));
  }

  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern) {
    return forClient(session(ch).getFunctions(ch, catalog, schemaPattern, functionNamePattern));
  }

  @Override public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat functionNamePattern, Pat columnNamePattern) {
    return forClient(session(ch).getFunctionColumns(ch, catalog, schemaPattern, functionNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return forClient(session(ch).getPseudoColumns(ch, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  /** A new statement of a session, under its node-wide id. */
  private StatementHandle forClient(StatementHandle engine) {
    return new StatementHandle(engine.connectionId,
        handles.addStatement(engine.connectionId, engine.id), engine.signature);
  }

  /** A metadata result, whose statement Calcite made, under its node-wide id. */
  private MetaResultSet forClient(MetaResultSet result) {
    return withStatement(result, handles.addStatement(result.connectionId, result.statementId));
  }

  /** The result of executing client statement {@code h}. */
  private static ExecuteResult forClient(StatementHandle h, ExecuteResult result) {
    return new ExecuteResult(result.resultSets.stream()
        .map(resultSet -> withStatement(resultSet, h.id)).toList());
  }

  private static MetaResultSet withStatement(MetaResultSet result, int statementId) {
    return result.signature == null
        ? MetaResultSet.count(result.connectionId, statementId, result.updateCount)
        : MetaResultSet.create(result.connectionId, statementId, result.ownStatement,
            result.signature, result.firstFrame, result.updateCount);
  }

  /** Client statement {@code h} as Calcite knows it. */
  private StatementHandle engine(StatementHandle h) {
    return new StatementHandle(h.connectionId, handles.engineId(h.connectionId, h.id),
        h.signature);
  }

  private SessionMeta session(ConnectionHandle ch) {
    return handles.session(ch.id);
  }

  private SessionMeta session(StatementHandle h) {
    return handles.session(h.connectionId);
  }
}
