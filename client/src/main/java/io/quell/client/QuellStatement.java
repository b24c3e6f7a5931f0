package io.quell.client;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

import java.sql.SQLException;

/** A statement of a {@link QuellConnection}, which does its work. */
final class QuellStatement extends AvaticaStatement {
  QuellStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) {
    super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  private QuellConnection session() {
    return (QuellConnection) connection;
  }

  /**
   * Cancels the running query on the server. Not Avatica's cancel() as well: it raises a
   * client-side flag that nothing lowers, so every later result of this statement failed
   * "Statement canceled" without a SQLSTATE.
   */
  @Override public void cancel() throws SQLException {
    checkOpen();
    session().cancelRunningQuery();
  }

  @Override protected void checkOpen() throws SQLException {
    session().checkOpen(this);
  }

  /** The last result set it opened, whose query the server keeps until its last row. */
  private volatile QuellResultSet lastResult;

  void opened(QuellResultSet result) {
    lastResult = result;
  }

  /**
   * Closes it; its server handle is kept for the connection's next statement if nothing of it
   * is left on the server (no result, or its last row read), else the server is told, which
   * ends the query of a result the application did not read to the end.
   */
  @Override public synchronized void close() throws SQLException {
    QuellResultSet result = lastResult;
    if (!closed && (result == null || result.isExhausted()) && session().keepSpare(handle)) {
      closed = true;
      connection.statementMap.remove(handle.id);
      if (openResultSet != null) {
        AvaticaResultSet open = openResultSet;
        openResultSet = null;
        open.close();
      }
      return;
    }
    session().close(() -> {
      super.close();
      return null;
    });
  }
}
