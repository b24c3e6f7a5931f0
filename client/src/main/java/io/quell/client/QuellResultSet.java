package io.quell.client;

import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;

/** A result set of a {@link QuellConnection}: fetching fails as JDBC callers expect. */
final class QuellResultSet extends AvaticaResultSet {
  /** Whether every row has been read, so that the server's query is done. */
  private volatile boolean exhausted;

  QuellResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
      ResultSetMetaData resultSetMetaData, TimeZone timeZone, Meta.Frame firstFrame)
      throws SQLException {
    super(statement, state, signature, resultSetMetaData, timeZone, firstFrame);
    if (statement instanceof QuellStatement plain) {
      plain.opened(this);
    }
  }

  boolean isExhausted() {
    return exhausted;
  }

  /** Avatica fetches the next frame inside {@code next()} and throws its failure unchecked. */
  @Override public boolean next() throws SQLException {
    try {
      boolean more = super.next();
      exhausted |= !more;
      return more;
    } catch (RuntimeException e) {
      throw ((QuellConnection) statement.connection).failure(e);
    }
  }

  /**
   * Closes the result set, and the statement that closes with it. Avatica's close() may not
   * throw a SQLException, so a server that cannot close that statement is not told; it expires
   * the statement with its connection.
   */
  @Override public void close() {
    try {
      super.close();
    } catch (ServerFailure e) {
      ((QuellConnection) statement.connection).failure(e);
    }
  }
}
