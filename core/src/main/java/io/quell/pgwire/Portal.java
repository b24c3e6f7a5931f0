package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A bound statement (Bind): a {@link PreparedQuery} with its parameter values and result
 * formats, on a JDBC statement borrowed from it. Its first Execute runs the statement; a
 * result's rows are then sent as Executes ask for them, an Execute with a row limit leaving
 * the rest for the next one (PortalSuspended), as pgjdbc's fetch size reads them.
 */
final class Portal implements AutoCloseable {
  private final PreparedQuery query;
  private final PreparedStatement statement;
  private final ResultColumns columns;
  private ResultSet rows;
  /** The tag of a statement that ran to its end and returned no rows. */
  private String completed;
  private boolean exhausted;

  private Portal(PreparedQuery query, PreparedStatement statement, ResultColumns columns) {
    this.query = query;
    this.statement = statement;
    this.columns = columns;
  }

  /** Binds {@code values} (by parameter) to {@code query}, in {@code formats}. */
  static Portal bind(Connection connection, PreparedQuery query, Object[] values,
      short[] formats) throws SQLException {
    ResultColumns columns = ResultColumns.of(query.metadata(), formats);
    if (query.isEmpty() || query.control() != null) {
      return new Portal(query, null, columns);
    }
    PreparedStatement statement = query.borrow(connection);
    try {
      statement.clearParameters();
      query.bind(statement, values);
      return new Portal(query, statement, columns);
    } catch (SQLException | RuntimeException e) {
      query.giveBack(statement);
      throw e;
    }
  }

  PreparedQuery query() {
    return query;
  }

  /** The columns of its rows as sent: empty when it returns none. */
  ResultColumns columns() {
    return columns;
  }

  /**
   * Runs the statement, the first time: true if it returned rows, which {@link #rows} then
   * reads; else its tag is {@link #completed}.
   */
  boolean start() throws SQLException {
    if (rows != null || completed != null) {
      return rows != null;
    }
    if (statement.execute()) {
      rows = statement.getResultSet();
      return true;
    }
    completed = CommandTag.of(query.words(), false, Math.max(statement.getUpdateCount(), 0));
    return false;
  }

  /** The open rows; null once read to their end or for a statement without rows. */
  ResultSet rows() {
    return exhausted ? null : rows;
  }

  /** The rows have all been sent. */
  void exhausted() throws SQLException {
    exhausted = true;
    rows.close();
  }

  /** The tag of the statement without rows it ran. */
  String completed() {
    return completed;
  }

  @Override public void close() throws SQLException {
    if (statement == null) {
      return;
    }
    try {
      if (rows != null) {
        rows.close();
      }
    } finally {
      query.giveBack(statement);
    }
  }

  static QuellException missing(String name) {
    return new QuellException(SqlState.INVALID_CURSOR_NAME,
        "portal \"" + name + "\" does not exist");
  }
}
