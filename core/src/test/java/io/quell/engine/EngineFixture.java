package io.quell.engine;

import io.quell.frontend.QuellNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** An embedded engine on a temporary data directory, and helpers to talk to it over JDBC. */
public final class EngineFixture implements AutoCloseable {
  public static final String ROOT_PASSWORD = "root-secret";

  private final QuellNode node;
  private final List<Connection> connections = new ArrayList<>();

  public EngineFixture(Path dataDir, double scale) throws Exception {
    this(EngineConfig.builder().dataDir(dataDir).scaleFactor(scale));
  }

  public EngineFixture(EngineConfig.Builder config) throws Exception {
    node = QuellNode.start(config.rootPassword(ROOT_PASSWORD).build());
  }

  public QuellEngine engine() {
    return node.engine();
  }

  public QuellNode node() {
    return node;
  }

  public Connection connect(String user) throws SQLException {
    return connect(user, "");
  }

  public Connection connect(String user, String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("applicationName", applicationName);
    Connection c = node.connect(user, props);
    connections.add(c);
    return c;
  }

  public static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public static List<Object> column(Connection c, String sql) throws SQLException {
    return rows(c, sql).stream().map(r -> r.get(0)).toList();
  }

  public static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  public static String sessionId(Connection c) throws SQLException {
    return (String) column(c, "SHOW session_id").get(0);
  }

  /** Runs {@code body}, expecting it to fail with {@code sqlState}; returns the message. */
  public static String failsWith(String sqlState, SqlBody body) {
    try {
      body.run();
    } catch (SQLException e) {
      org.junit.jupiter.api.Assertions.assertEquals(sqlState, e.getSQLState(),
          () -> "unexpected SQLSTATE for: " + e.getMessage());
      return e.getMessage();
    }
    throw new AssertionError("expected SQLSTATE " + sqlState + " but the statement succeeded");
  }

  /** A JDBC action. */
  @FunctionalInterface
  public interface SqlBody {
    void run() throws SQLException;
  }

  @Override public void close() {
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already closed by the test, e.g. a cancelled session
      }
    }
    node.close();
  }
}
