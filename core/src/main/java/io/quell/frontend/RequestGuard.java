package io.quell.frontend;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one door of every Avatica request over HTTP: before a request reaches the
 * engine, the connection it names, and its statement where it names one, must belong to the
 * user who sent it. Each request type says which handles it names in one table; a type the
 * table does not know is refused, so a request type a newer Avatica adds cannot slip past.
 */
public final class RequestGuard implements Service {
  private final Service delegate;
  private final HandleTable handles;
  private final Map<Class<?>, Consumer<Request>> checks;

  private RequestGuard(Service delegate, HandleTable handles) {
    this.delegate = delegate;
    this.handles = handles;
    this.checks = Map.ofEntries(
        connection(CatalogsRequest.class, r -> r.connectionId),
        connection(SchemasRequest.class, r -> r.connectionId),
        connection(TablesRequest.class, r -> r.connectionId),
        connection(TableTypesRequest.class, r -> r.connectionId),
        connection(TypeInfoRequest.class, r -> r.connectionId),
        connection(ColumnsRequest.class, r -> r.connectionId),
        connection(PrepareRequest.class, r -> r.connectionId),
        connection(CreateStatementRequest.class, r -> r.connectionId),
        connection(CloseConnectionRequest.class, r -> r.connectionId),
        connection(ConnectionSyncRequest.class, r -> r.connectionId),
        connection(DatabasePropertyRequest.class, r -> r.connectionId),
        connection(CommitRequest.class, r -> r.connectionId),
        connection(RollbackRequest.class, r -> r.connectionId),
        check(OpenConnectionRequest.class, r -> handles.admitNew(r.connectionId)),
        check(ExecuteRequest.class, r -> handles.admit(
            r.statementHandle == null ? null : r.statementHandle.connectionId,
            r.statementHandle == null ? -1 : r.statementHandle.id)),
        check(PrepareAndExecuteRequest.class, r -> handles.admit(r.connectionId, r.statementId)),
        check(FetchRequest.class, r -> handles.admit(r.connectionId, r.statementId)),
        check(SyncResultsRequest.class, r -> handles.admit(r.connectionId, r.statementId)),
        check(PrepareAndExecuteBatchRequest.class,
            r -> handles.admit(r.connectionId, r.statementId)),
        check(ExecuteBatchRequest.class, r -> handles.admit(r.connectionId, r.statementId)),
        // Closing a statement that is already gone is no error (clients close twice), but a
        // known statement must be the connection's.
        check(CloseStatementRequest.class, r -> handles.admit(r.connectionId,
            handles.isStatement(r.statementId) ? r.statementId : null)));
  }

  /** The service of {@code meta}, every request of which passes the guard first. */
  static RequestGuard around(ServerMeta meta) {
    return new RequestGuard(new LocalService(meta), meta.handles());
  }

  /** The request types the guard knows; every other type is refused. */
  public boolean knows(Class<? extends Request> type) {
    return checks.containsKey(type);
  }

  private <R extends Request, T extends Response> T passed(R request, Function<R, T> call) {
    return call.apply(admitted(request));
  }

  private <R extends Request> R admitted(R request) {
    Consumer<Request> check = request == null ? null : checks.get(request.getClass());
    if (check == null) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED, "request type "
          + (request == null ? "null" : request.getClass().getSimpleName()) + " is not supported");
    }
    check.accept(request);
    return request;
  }

  private static <R extends Request> Map.Entry<Class<?>, Consumer<Request>> check(Class<R> type,
      Consumer<R> check) {
    return Map.entry(type, r -> check.accept(type.cast(r)));
  }

  private <R extends Request> Map.Entry<Class<?>, Consumer<Request>> connection(Class<R> type,
      Function<R, String> connectionId) {
    return check(type, r -> handles.admit(connectionId.apply(r), null));
  }

  @Override public ResultSetResponse apply(CatalogsRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ResultSetResponse apply(SchemasRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ResultSetResponse apply(TablesRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ResultSetResponse apply(TableTypesRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ResultSetResponse apply(TypeInfoRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ResultSetResponse apply(ColumnsRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public PrepareResponse apply(PrepareRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ExecuteResponse apply(ExecuteRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ExecuteResponse apply(PrepareAndExecuteRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public SyncResultsResponse apply(SyncResultsRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public FetchResponse apply(FetchRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public CreateStatementResponse apply(CreateStatementRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public CloseStatementResponse apply(CloseStatementRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public OpenConnectionResponse apply(OpenConnectionRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public CloseConnectionResponse apply(CloseConnectionRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ConnectionSyncResponse apply(ConnectionSyncRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public DatabasePropertyResponse apply(DatabasePropertyRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public CommitResponse apply(CommitRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public RollbackResponse apply(RollbackRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ExecuteBatchResponse apply(PrepareAndExecuteBatchRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public ExecuteBatchResponse apply(ExecuteBatchRequest request) {
    return passed(request, delegate::apply);
  }

  @Override public void setRpcMetadata(RpcMetadataResponse metadata) {
    delegate.setRpcMetadata(metadata);
  }
}
