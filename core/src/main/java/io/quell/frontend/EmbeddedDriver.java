package io.quell.frontend;

import io.quell.client.QuellClientDriver;
import io.quell.client.SqlState;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.LocalService;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code jdbc:quell:embedded:[data-dir][?scale=0.01&rootPassword=...]}: a Quell node in this
 * JVM, one per data directory ({@code quell-data} if none is given), started by its first
 * connection and stopped when the JVM exits. The process is trusted, so the {@code user}
 * property picks the user (default root) and no password is asked. {@code scale} and
 * {@code rootPassword} configure the node when it starts.
 *
 * <p>Its connections are the very ones of {@code jdbc:quell://} (quell-client's
 * {@link QuellClientDriver}), with the engine itself in place of HTTP, so that
 * {@code Statement.cancel()}, query timeouts, errors and a session's end behave the same: a
 * cancel is a CANCEL QUERY on the node, audited, and the victim fails with 57014. The client
 * classes live in a module of their own because both the standalone driver, which must not
 * hold the engine, and the engine use them.
 */
public final class EmbeddedDriver extends QuellClientDriver {
  static final String PREFIX = "jdbc:quell:embedded:";
  private static final String DEFAULT_DATA_DIR = "quell-data";
  /** Properties that configure the node, not the connection. */
  private static final String SCALE = "scale";
  private static final String ROOT_PASSWORD = "rootPassword";
  private static final Map<Path, QuellNode> NODES = new HashMap<>();

  private static final EmbeddedDriver DRIVER = new EmbeddedDriver();

  static {
    DRIVER.register();
  }

  @Override protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override protected List<Properties> connectionProperties(String url, Properties info)
      throws SQLException {
    Properties props = parameters(url, info);
    String dir = location(url);
    QuellNode node = node(Path.of(dir.isEmpty() ? DEFAULT_DATA_DIR : dir),
        (String) props.remove(SCALE), (String) props.remove(ROOT_PASSWORD));
    return List.of(
        node.inProcessProperties(props.getProperty("user", QuellEngine.DEFAULT_USER), props));
  }

  /** A connection to {@code node}; see {@link QuellNode#connect}. */
  static Connection connect(QuellNode node, String user, Properties properties)
      throws SQLException {
    return DRIVER.connect(node.inProcessProperties(user, properties));
  }

  /**
   * Statements run straight on the node's engine ({@link SessionMeta}); Avatica's remote
   * driver opens a connection through a service, so the Meta gets a local one.
   */
  @Override public Meta createMeta(AvaticaConnection connection) {
    Meta meta = QuellNode.of(connection.config()).embeddedMeta();
    connection.setService(new LocalService(meta));
    return meta;
  }

  /** The node of {@code dir}, started on first use. */
  private static synchronized QuellNode node(Path dir, String scale, String rootPassword)
      throws SQLException {
    Path key = dir.toAbsolutePath().normalize();
    QuellNode running = NODES.get(key);
    if (running != null) {
      return running;
    }
    EngineConfig.Builder config = EngineConfig.builder().dataDir(key).rootPassword(rootPassword);
    try {
      if (scale != null) {
        config.scaleFactor(Double.parseDouble(scale));
      }
    } catch (NumberFormatException e) {
      throw new SQLException("invalid scale '" + scale + "' in a jdbc:quell:embedded: URL",
          SqlState.INVALID_PARAMETER_VALUE.code(), e);
    }
    QuellNode node;
    try {
      node = QuellNode.start(config.build());
    } catch (IOException | RuntimeException e) {
      throw new SQLException("cannot start the embedded engine in " + key + ": "
          + e.getMessage(), SqlState.SYSTEM_ERROR.code(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "quell-embedded-stop"));
    NODES.put(key, node);
    return node;
  }

  @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[] {
        new DriverPropertyInfo("user", QuellEngine.DEFAULT_USER),
        new DriverPropertyInfo("applicationName", ""),
        new DriverPropertyInfo(SCALE, null),
        new DriverPropertyInfo(ROOT_PASSWORD, null)};
  }
}
