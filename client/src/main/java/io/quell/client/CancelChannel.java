package io.quell.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The internal connection over which a {@link QuellConnection} asks the server to cancel what
 * its session runs, as PostgreSQL's driver sends a cancel request: the application's own
 * connection is busy with the statement to cancel. Opened at the first cancel, as the same
 * user.
 */
final class CancelChannel implements AutoCloseable {
  /**
   * Sessions with this application name are internal and hidden from SHOW SESSIONS: it starts
   * with core's {@code Session.INTERNAL_APPLICATION_PREFIX}, spelled out because the driver is
   * a standalone jar without the engine.
   */
  static final String APPLICATION_NAME = "$ internal cancel";
  // Two statements prepared once instead of one CANCEL QUERIES (SELECT ...): Calcite plans a
  // query on every execution but a prepared one only once, and planning was most of the time
  // Statement.cancel() took (benchmark figure 1c). Both are session control, which admission
  // control never queues: a SELECT would wait behind the queries it is to cancel.
  private static final String FIND_SQL = "SHOW CLUSTER QUERIES";
  private static final String CANCEL_SQL = "CANCEL QUERY IF EXISTS ?";

  private final QuellClientDriver driver;
  private final Properties props;
  private Connection connection;
  private PreparedStatement findQueries;
  private PreparedStatement cancelQuery;

  /** A channel that connects with {@code props}, the application connection's. */
  CancelChannel(QuellClientDriver driver, Properties props) {
    this.driver = driver;
    this.props = new Properties();
    this.props.putAll(props);
    this.props.setProperty("applicationName", APPLICATION_NAME);
  }

  /** Cancels the queries session {@code sessionId} runs, on whichever node they run. */
  synchronized void cancel(String sessionId) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = driver.open(props);
      findQueries = connection.prepareStatement(FIND_SQL);
      cancelQuery = connection.prepareStatement(CANCEL_SQL);
    }
    try (ResultSet queries = findQueries.executeQuery()) {
      while (queries.next()) {
        if (sessionId.equals(queries.getString("session_id"))) {
          cancelQuery.setString(1, queries.getString("query_id"));
          cancelQuery.executeUpdate();
        }
      }
    }
  }

  @Override public synchronized void close() throws SQLException {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
