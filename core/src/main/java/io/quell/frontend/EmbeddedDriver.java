package io.quell.frontend;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code jdbc:quell:embedded:[data-dir][?scale=0.01&rootPassword=...]}: a Quell node in this
 * JVM, one per data directory ({@code quell-data} if none is given), started by its first
 * connection and stopped when the JVM exits. Its connections reach it through the in-process
 * transport ({@link QuellNode#connect}); the process is trusted, so the {@code user} property
 * picks the user (default root) and no password is asked. {@code scale} and
 * {@code rootPassword} configure the node when it starts.
 */
public final class EmbeddedDriver implements Driver {
  static final String PREFIX = "jdbc:quell:embedded:";
  private static final String DEFAULT_DATA_DIR = "quell-data";
  /** Properties that configure the node, not the connection. */
  private static final String SCALE = "scale";
  private static final String ROOT_PASSWORD = "rootPassword";
  private static final Map<Path, QuellNode> NODES = new HashMap<>();

  static {
    try {
      DriverManager.registerDriver(new EmbeddedDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    int query = url.indexOf('?');
    String dir = (query < 0 ? url : url.substring(0, query)).substring(PREFIX.length());
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          props.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    QuellNode node = node(Path.of(dir.isEmpty() ? DEFAULT_DATA_DIR : dir),
        (String) props.remove(SCALE), (String) props.remove(ROOT_PASSWORD));
    return node.connect(props.getProperty("user", QuellEngine.DEFAULT_USER), props);
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
          "22023", e);
    }
    QuellNode node;
    try {
      node = QuellNode.start(config.build());
    } catch (IOException | RuntimeException e) {
      throw new SQLException("cannot start the embedded engine in " + key + ": "
          + e.getMessage(), "58000", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "quell-embedded-stop"));
    NODES.put(key, node);
    return node;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[] {
        new DriverPropertyInfo("user", QuellEngine.DEFAULT_USER),
        new DriverPropertyInfo("applicationName", ""),
        new DriverPropertyInfo(SCALE, null),
        new DriverPropertyInfo(ROOT_PASSWORD, null)};
  }

  @Override public int getMajorVersion() {
    return 0;
  }

  @Override public int getMinorVersion() {
    return 1;
  }

  @Override public boolean jdbcCompliant() {
    return false;
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the embedded driver logs through SLF4J");
  }
}
