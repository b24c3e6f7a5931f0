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
