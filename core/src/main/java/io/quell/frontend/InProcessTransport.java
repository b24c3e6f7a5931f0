package io.quell.frontend;

import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.Meta.Style;
import org.apache.calcite.avatica.remote.Service.ExecuteResponse;
import org.apache.calcite.avatica.remote.Service.PrepareResponse;
import org.apache.calcite.avatica.remote.Service.Response;
import org.apache.calcite.avatica.remote.Service.ResultSetResponse;

/**
 * The answers of an in-process request as Avatica's client expects them off the wire, without
 * a wire. A failure leaves as the exception the client raises for an error reply. JdbcMeta
 * describes its rows as lists, which the wire format turns them into, but hands them over as
 * arrays: the signatures say arrays instead of copying every row.
 */
final class InProcessTransport implements Transport {
  private final ErrorReplies errors;

  InProcessTransport(ErrorReplies errors) {
    this.errors = errors;
  }

  @Override public RuntimeException failure(RuntimeException e) {
    return errors.clientException(e);
  }

  @SuppressWarnings("unchecked")
  @Override public <T extends Response> T response(T response) {
    if (response instanceof ResultSetResponse resultSet) {
      return (T) arrays(resultSet);
    }
    if (response instanceof ExecuteResponse execute) {
      return (T) new ExecuteResponse(execute.results.stream().map(InProcessTransport::arrays)
          .toList(), execute.missingStatement, execute.rpcMetadata);
    }
    if (response instanceof PrepareResponse prepare) {
      StatementHandle h = prepare.statement;
      return (T) new PrepareResponse(new StatementHandle(h.connectionId, h.id,
          arrays(h.signature)), prepare.rpcMetadata);
    }
    return response;
  }

  private static ResultSetResponse arrays(ResultSetResponse r) {
    Signature signature = arrays(r.signature);
    return signature == r.signature ? r : new ResultSetResponse(r.connectionId, r.statementId,
        r.ownStatement, signature, r.firstFrame, r.updateCount, r.rpcMetadata);
  }

  private static Signature arrays(Signature s) {
    return s == null || s.cursorFactory.style != Style.LIST ? s
        : new Signature(s.columns, s.sql, s.parameters, s.internalParameters,
            CursorFactory.ARRAY, s.statementType);
  }
}
