package io.quell.frontend;

import io.quell.activity.Peers;
import io.quell.client.ServerFailure;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.error.SqlState;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Quell node: its engine and the Avatica front end through which every client reaches it,
 * over HTTP (the server exposes {@link #service()}) or in the same JVM ({@link #connect}).
 */
public final class QuellNode implements AutoCloseable {
  private static final Map<String, QuellNode> RUNNING = new ConcurrentHashMap<>();

  private final String key = UUID.randomUUID().toString();
  private final QuellEngine engine;
  private final QuellMeta meta;
  private final ErrorReplies errorReplies;
  private final Service service;
  private final Service inProcessService;

  private QuellNode(QuellEngine engine) throws SQLException {
    this.engine = engine;
    this.meta = new QuellMeta(engine);
    this.errorReplies = new ErrorReplies(engine.config().debugErrors());
    this.service = RequestGuard.around(meta, Transport.HTTP);
    this.inProcessService = RequestGuard.around(meta, new InProcessTransport(errorReplies));
    engine.everySweep(meta::sweep);
    RUNNING.put(key, this);
  }

  /** Starts a single node. */
  public static QuellNode start(EngineConfig config) throws SQLException, IOException {
    return over(QuellEngine.start(config));
  }

  /** Starts cluster member {@code nodeId} among {@code peers}. */
  public static QuellNode start(EngineConfig config, long nodeId, Peers peers)
      throws SQLException, IOException {
    return over(QuellEngine.start(config, nodeId, peers));
  }

  private static QuellNode over(QuellEngine engine) throws SQLException {
    try {
      return new QuellNode(engine);
    } catch (SQLException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** The running node with {@code key}, for the in-process transport. */
  static QuellNode byKey(String key) {
    QuellNode node = RUNNING.get(key);
    if (node == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "the embedded engine is closed");
    }
    return node;
  }

  String key() {
    return key;
  }

  public QuellEngine engine() {
    return engine;
  }

  /** The Avatica service of this node, for an HTTP server to expose. */
  public Service service() {
    return service;
  }

  Service inProcessService() {
    return inProcessService;
  }

  /** How error replies look, over HTTP and in-process alike. */
  public ErrorReplies errorReplies() {
    return errorReplies;
  }

  /** How many Avatica connections the node holds, whether or not their session is alive. */
  public long openConnections() {
    return meta.openConnections();
  }

  /**
   * Opens an in-process JDBC connection as {@code user}: Avatica's own connection, whose
   * {@code Statement.cancel()} stops only the client, for the tests and benchmarks that drive
   * the engine itself; {@link EmbeddedDriver}'s connections are the driver's. The process is
   * trusted, so no password is asked; the user must exist and have LOGIN.
   */
  public Connection connect(String user, Properties properties) throws SQLException {
    try {
      return new Driver().connect("jdbc:avatica:remote:", inProcessProperties(user, properties));
    } catch (AvaticaClientRuntimeException e) {
      // Avatica's client raises a refused connect unchecked; JDBC callers expect SQLException.
      throw ServerFailure.unwrap(e);
    }
  }

  /** Avatica's client properties for connecting to this node in-process as {@code user}. */
  Properties inProcessProperties(String user, Properties properties) {
    Properties info = new Properties();
    if (properties != null) {
      info.putAll(properties);
    }
    info.setProperty("user", user);
    info.setProperty("url", InProcessServiceFactory.url(this));
    info.setProperty("factory", InProcessServiceFactory.class.getName());
    return info;
  }

  /** Closes every session, cancelling what runs, then the engine. */
  @Override public void close() {
    RUNNING.remove(key);
    meta.closeAll();
    engine.close();
  }
}
