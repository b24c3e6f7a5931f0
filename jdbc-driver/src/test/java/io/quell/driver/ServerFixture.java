package io.quell.driver;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A real Quell server on a free loopback port, and JDBC clients for it. */
final class ServerFixture implements AutoCloseable {
  static final String ROOT_PASSWORD = "root-secret";

  final QuellServer server;
  /** Null for plain HTTP; otherwise the keystore clients also trust. */
  private final QuellServer.Tls tls;
  private final Serialization serialization;
  /** Every client connection, closed at the end; clients connect from many threads. */
  private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();

  ServerFixture(Path dataDir) throws Exception {
    this(dataDir, Duration.ofMinutes(10));
  }

  ServerFixture(Path dataDir, Duration connectionExpiry) throws Exception {
    this(EngineConfig.builder().dataDir(dataDir).connectionExpiry(connectionExpiry));
  }

  /** A server speaking HTTPS with the key in {@code tls}, which its clients trust. */
  ServerFixture(Path dataDir, QuellServer.Tls tls) throws Exception {
    this(EngineConfig.builder().dataDir(dataDir), tls);
  }

  /** A server with {@code config}, on the sample data at scale 0.01 and root's password. */
  ServerFixture(EngineConfig.Builder config) throws Exception {
    this(config, null);
  }

  private ServerFixture(EngineConfig.Builder config, QuellServer.Tls tls) throws Exception {
    this(QuellServer.builder(config.scaleFactor(0.01).rootPassword(ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0).tls(tls), tls, Serialization.PROTOBUF);
  }

  /**
   * A server as {@code server} describes it, which must be on loopback with root's password
   * and speak {@code serialization} (and TLS with {@code tls}, which clients then trust).
   */
  ServerFixture(QuellServer.Builder server, QuellServer.Tls tls, Serialization serialization)
      throws Exception {
    this.tls = tls;
    this.serialization = serialization;
    this.server = server.serialization(serialization).start();
    // A warm server: the first TPC-H scan of a JVM builds the generator's text pool (~3 s).
    try (Connection c = root(); java.sql.Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM lineitem WHERE l_orderkey < 0").close();
    }
  }

  String url() {
    String url = "jdbc:quell://127.0.0.1:" + server.port() + "?serialization="
        + serialization.name().toLowerCase(java.util.Locale.ROOT);
    return tls == null ? url : url + "&tls=true&truststore=" + tls.keystore().getAbsolutePath()
        + "&truststore_password=" + tls.password();
  }

  Connection connect(String user, String password) throws SQLException {
    return connect(user, password, "");
  }

  Connection connect(String user, String password, String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("applicationName", applicationName);
    Connection c = DriverManager.getConnection(url(), props);
    connections.add(c);
    return c;
  }

  Connection root() throws SQLException {
    return connect("root", ROOT_PASSWORD);
  }

  /** Closes every client connection opened through this fixture. */
  void closeClients() {
    Connection c;
    while ((c = connections.poll()) != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // a session the test cancelled
      }
    }
  }

  @Override public void close() {
    closeClients();
    server.close();
  }
}
