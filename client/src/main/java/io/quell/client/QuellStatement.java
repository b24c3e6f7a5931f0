package io.quell.client;

import org.apache.calcite.avatica.AvaticaConnection;
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

  @Override public synchronized void close() throws SQLException {
    session().close(() -> {
      super.close();
      return null;
    });
  }
}
