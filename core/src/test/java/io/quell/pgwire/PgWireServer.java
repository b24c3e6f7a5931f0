package io.quell.pgwire;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A Quell server for the PostgreSQL protocol tests: the product's server on free loopback
 * ports (HTTP and PostgreSQL), TPC-H at scale 0.01, user {@code root} with
 * {@link #ROOT_PASSWORD}, and pgjdbc connections to it.
 */
final class PgWireServer implements AutoCloseable {
  static final String ROOT_PASSWORD = "root-secret";

  private final QuellServer server;

  private PgWireServer(QuellServer server) {
    this.server = server;
  }

  static PgWireServer start(Path dataDir) throws Exception {
    return new PgWireServer(QuellServer.builder(EngineConfig.builder().dataDir(dataDir)
            .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).build())
        .host("127.0.0.1").port(0).pgPort(0).start());
  }

  QuellServer server() {
    return server;
  }

  int pgPort() {
    return server.pgPort().orElseThrow();
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort() + "/quell";
  }

  /** A pgjdbc connection as {@code user}, with {@code extra} connection properties. */
  Connection connect(String user, String password, String... extra) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      properties.setProperty(extra[i], extra[i + 1]);
    }
    return DriverManager.getConnection(url(), properties);
  }

  Connection root(String... extra) throws SQLException {
    return connect("root", ROOT_PASSWORD, extra);
  }

  /** Runs {@code sql} as root over the node's own in-process front end. */
  void admin(String sql) throws SQLException {
    try (Connection c = server.node().connect("root", new Properties());
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override public void close() {
    server.close();
  }
}
