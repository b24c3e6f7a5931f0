package io.quell.client;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Quell server: Avatica's, plus what Avatica's client does not do.
 * {@code Statement.cancel()} asks the server to cancel the session's running query over a
 * {@link CancelChannel}; a statement's query timeout cancels the same way when it passes; a
 * failure is the server's or the transport's own error ({@link ServerFailure}), also where
 * Avatica would throw it unchecked; and once the session has ended (57P01 session canceled,
 * 08003 no such connection) or the transport lost the server (a {@link
 * SQLRecoverableException}), the connection reports itself closed and every later call fails
 * with that error. A class 08 error the server reports is about another system it could not
 * reach (a cluster member that owns a session to cancel, the user catalog), as PostgreSQL's
 * foreign-data errors are: the session itself goes on.
 */
final class QuellConnection extends AvaticaConnection {
  /** The server's SQLSTATEs that say the connection has no session there any more. */
  private static final Set<String> ENDING = Set.of(SqlState.ADMIN_SHUTDOWN.code(), SqlState.CONNECTION_EXCEPTION.code());

  private static final ScheduledExecutorService QUERY_TIMEOUTS =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quell-query-timeout");
        t.setDaemon(true);
        return t;
      });

  /** Spare statement handles a connection keeps at most. */
  private static final int SPARE_HANDLES = 8;

  private final CancelChannel cancels;
  private final ConnectionConfig config;
  private volatile String sessionId;
  private volatile SQLException end;
  /**
   * Server handles of plain statements the application closed with nothing left running on
   * them, for its next statements: a BI tool makes a statement per query, and creating and
   * closing one cost two more requests than the query itself.
   */
  private final Deque<Meta.StatementHandle> spareHandles = new ConcurrentLinkedDeque<>();

  QuellConnection(QuellClientDriver driver, AvaticaFactory factory, String url,
      Properties info) {
    super(driver, factory, url, info);
    this.config = new QuellConnectionConfig(this.info);
    this.cancels = new CancelChannel(driver, info);
  }

  @Override public ConnectionConfig config() {
    // Avatica's constructor reads its configuration before this one has made it.
    return config == null ? super.config() : config;
  }

  /** Learns the id of the server's session for this connection, which cancels name. */
  void joinSession() throws SQLException {
    try (Statement s = createStatement(); ResultSet rs = s.executeQuery("SHOW session_id")) {
      rs.next();
      sessionId = rs.getString(1);
    }
  }

  /** Cancels, on the server, whatever the session is running. */
  void cancelRunningQuery() throws SQLException {
    checkOpen();
    cancels.cancel(sessionId);
  }

  /** The SQLException the caller gets for {@code e}; notes a session that has ended. */
  SQLException failure(Throwable e) {
    SQLException failure = ServerFailure.unwrap(e);
    String state = failure.getSQLState();
    // Set.of refuses to look up null, the state of a SQLException without one
    if (failure instanceof SQLRecoverableException || state != null && ENDING.contains(state)) {
      end = failure;
    }
    return failure;
  }

  /** Runs {@code call}, which may reach the server, failing as JDBC callers expect. */
  <T> T call(Call<T> call) throws SQLException {
    checkOpen();
    try {
      return call.run();
    } catch (SQLException | RuntimeException e) {
      throw failure(e);
    }
  }

  /**
   * Runs {@code close}, which tells the server to release something; once the session has
   * ended there is nothing left to release, so it cannot fail.
   */
  void close(Call<?> close) throws SQLException {
    try {
      close.run();
    } catch (SQLException | RuntimeException e) {
      SQLException failure = failure(e);
      if (end == null) {
        throw failure;
      }
    }
  }

  /** Fails with what ended the session, or 08003 if the application closed the connection. */
  @Override protected void checkOpen() throws SQLException {
    SQLException ended = end;
    if (ended != null) {
      throw new SQLException(ended.getMessage(), ended.getSQLState(), ended.getErrorCode(),
          ended);
    }
    if (super.isClosed()) {
      throw new SQLException("the connection is closed", SqlState.CONNECTION_EXCEPTION.code());
    }
  }

  @Override public boolean isClosed() throws SQLException {
    return end != null || super.isClosed();
  }

  /**
   * Asks the server, as a connection pool expects: a session that has ended is not valid. The
   * database properties are the cheapest request the server answers only for a live session.
   */
  @Override public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout " + timeout + " is negative", SqlState.INVALID_PARAMETER_VALUE.code());
    }
    if (isClosed()) {
      return false;
    }
    try {
      meta.getDatabaseProperties(handle);
      return true;
    } catch (RuntimeException e) {
      failure(e);
      return false;
    }
  }

  @Override public void close() throws SQLException {
    try {
      close(() -> {
        cancels.close();
        return null;
      });
    } finally {
      close(() -> {
        super.close();
        return null;
      });
    }
  }

  /** Fails unless {@code statement} and this connection are open. */
  void checkOpen(AvaticaStatement statement) throws SQLException {
    checkOpen();
    if (statement.isClosed()) {
      throw new SQLException("the statement is closed", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE.code());
    }
  }

  // --- Avatica's paths to the server, each as the caller expects it -------------------------

  @Override public AvaticaStatement createStatement(int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    Meta.StatementHandle spare = spareHandles.poll();
    if (spare != null) {
      checkOpen();
      return factory.newStatement(this, spare, resultSetType, resultSetConcurrency,
          resultSetHoldability);
    }
    return call(() -> super.createStatement(resultSetType, resultSetConcurrency,
        resultSetHoldability));
  }

  /**
   * Keeps {@code handle}, of a plain statement being closed with no query of its own left on
   * the server, for a later statement; false if there are enough spare, or the connection is
   * ending, and the server must be told to close it.
   */
  boolean keepSpare(Meta.StatementHandle handle) throws SQLException {
    if (end != null || super.isClosed() || spareHandles.size() >= SPARE_HANDLES) {
      return false;
    }
    spareHandles.push(handle);
    return true;
  }

  /**
   * Prepares as Avatica does, but fails with the server's own error: Avatica's connection
   * replaces it with {@code while preparing SQL: ...}, dropping the server's message.
   */
  @Override public PreparedStatement prepareStatement(String sql, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return call(() -> {
      Meta.StatementHandle h = meta.prepare(handle, sql, -1);
      return factory.newPreparedStatement(this, h, h.signature, resultSetType,
          resultSetConcurrency, resultSetHoldability);
    });
  }

  @Override protected Meta.ExecuteResult prepareAndExecuteInternal(AvaticaStatement statement,
      String sql, long maxRowCount) throws SQLException, NoSuchStatementException {
    try (QueryTimeout ignored = queryTimeout(statement)) {
      return super.prepareAndExecuteInternal(statement, sql, maxRowCount);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override protected ResultSet executeQueryInternal(AvaticaStatement statement,
      Meta.Signature signature, Meta.Frame firstFrame, QueryState state, boolean isUpdate)
      throws SQLException {
    try (QueryTimeout ignored = queryTimeout(statement)) {
      return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
    } catch (SQLException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement statement)
      throws SQLException {
    try (QueryTimeout ignored = queryTimeout(statement)) {
      return super.executeBatchUpdateInternal(statement);
    } catch (SQLException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override protected Meta.ExecuteBatchResult prepareAndUpdateBatch(AvaticaStatement statement,
      List<String> queries) throws NoSuchStatementException, SQLException {
    try (QueryTimeout ignored = queryTimeout(statement)) {
      return super.prepareAndUpdateBatch(statement, queries);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override public void setAutoCommit(boolean autoCommit) throws SQLException {
    set(() -> super.setAutoCommit(autoCommit));
  }

  @Override public boolean getAutoCommit() throws SQLException {
    return call(super::getAutoCommit);
  }

  @Override public void commit() throws SQLException {
    call(() -> {
      super.commit();
      return null;
    });
  }

  @Override public void rollback() throws SQLException {
    call(() -> {
      super.rollback();
      return null;
    });
  }

  @Override public void setReadOnly(boolean readOnly) throws SQLException {
    set(() -> super.setReadOnly(readOnly));
  }

  @Override public boolean isReadOnly() throws SQLException {
    return call(super::isReadOnly);
  }

  @Override public void setCatalog(String catalog) throws SQLException {
    set(() -> super.setCatalog(catalog));
  }

  @Override public String getCatalog() throws SQLException {
    return call(super::getCatalog);
  }

  /** Refuses, with 0A000 and before anything is sent, a level the server would not keep. */
  @Override public void setTransactionIsolation(int level) throws SQLException {
    if (!metaData.supportsTransactionIsolationLevel(level)) {
      throw new SQLFeatureNotSupportedException("transaction isolation level " + level
          + " is not supported: every statement runs at READ COMMITTED ("
          + TRANSACTION_READ_COMMITTED + ")", SqlState.FEATURE_NOT_SUPPORTED.code());
    }
    set(() -> super.setTransactionIsolation(level));
  }

  @Override public int getTransactionIsolation() throws SQLException {
    return call(super::getTransactionIsolation);
  }

  @Override public void setSchema(String schema) throws SQLException {
    set(() -> super.setSchema(schema));
  }

  @Override public String getSchema() throws SQLException {
    return call(super::getSchema);
  }

  /**
   * Applies a setting on the server at once. Avatica's client keeps a setting until a getter
   * asks for one, so a setter could neither fail nor reach the server.
   */
  private void set(Setting setting) throws SQLException {
    call(() -> {
      setting.apply();
      return meta.connectionSync(handle, new ConnectionPropertiesImpl());
    });
  }

  /**
   * Arms {@code statement}'s query timeout: when it passes, the session's query is cancelled
   * on the server, and the statement fails with 57014 as for any cancel.
   */
  private QueryTimeout queryTimeout(AvaticaStatement statement) throws SQLException {
    int seconds = statement.getQueryTimeout();
    if (seconds <= 0) {
      return () -> { };
    }
    ScheduledFuture<?> timeout = QUERY_TIMEOUTS.schedule(() -> {
      try {
        cancels.cancel(sessionId);
      } catch (SQLException ignored) {
        // the statement then simply runs on; its own error, if any, is what the caller sees
      }
    }, seconds, TimeUnit.SECONDS);
    return () -> timeout.cancel(false);
  }

  /** Work that reaches the server through Avatica. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws SQLException;
  }

  /** One of Avatica's setters of a connection property. */
  @FunctionalInterface
  private interface Setting {
    void apply() throws SQLException;
  }

  /** An armed query timeout, disarmed when the statement's call returns. */
  @FunctionalInterface
  private interface QueryTimeout extends AutoCloseable {
    @Override void close();
  }
}
