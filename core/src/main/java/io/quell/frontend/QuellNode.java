package io.quell.frontend;

import io.quell.activity.Peers;
import io.quell.client.SqlState;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.session.CancelCause;

import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Quell node: its engine and the Avatica front end through which every client reaches it,
 * over HTTP (the server exposes {@link #service()}) or in the same JVM ({@link #connect},
 * {@code jdbc:quell:embedded:}), where each connection's {@link EmbeddedMeta} runs its
 * statements straight on the engine.
 */
public final class QuellNode implements AutoCloseable {
  private static final Map<String, QuellNode> RUNNING = new ConcurrentHashMap<>();
  /** The client property naming the node of an embedded connection: Avatica's server URL. */
  private static final String NODE = "url";

  private final String key = UUID.randomUUID().toString();
  private final QuellEngine engine;
  private final QuellMeta meta;
  private final ErrorReplies errorReplies;
  private final Service service;
  private final QueryTracker embeddedQueries;
  /** The embedded connections' Metas, whose sessions end when the node closes. */
  private final Set<EmbeddedMeta> embedded = ConcurrentHashMap.newKeySet();

  private QuellNode(QuellEngine engine) throws SQLException {
    this.engine = engine;
    this.meta = new QuellMeta(engine);
    this.errorReplies = new ErrorReplies(engine.config().debugErrors());
    this.service = RequestGuard.around(meta);
    this.embeddedQueries = new QueryTracker(engine);
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

  private static QuellNode byKey(String key) {
    QuellNode node = RUNNING.get(key);
    if (node == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "the embedded engine is closed");
    }
    return node;
  }

  public QuellEngine engine() {
    return engine;
  }

  /** The Avatica service of this node, for an HTTP server to expose. */
  public Service service() {
    return service;
  }

  /** The Meta of a new embedded connection, which opens its session. */
  Meta embeddedMeta() {
    return new EmbeddedMeta(this, engine, embeddedQueries);
  }

  void opened(EmbeddedMeta connection) {
    embedded.add(connection);
  }

  void closed(EmbeddedMeta connection) {
    embedded.remove(connection);
  }

  /** How error replies look, over HTTP and in-process alike. */
  public ErrorReplies errorReplies() {
    return errorReplies;
  }

  /**
   * How many connections over HTTP the node holds, whether or not their session is alive;
   * embedded connections never expire, so they are not counted.
   */
  public long openConnections() {
    return meta.openConnections();
  }

  /**
   * Opens an embedded connection as {@code user}, as {@code jdbc:quell:embedded:} does, for
   * the tests and benchmarks that drive a node they started. The process is trusted, so no
   * password is asked; the user must exist and have LOGIN.
   */
  public Connection connect(String user, Properties properties) throws SQLException {
    return EmbeddedDriver.connect(this, user, properties);
  }

  /** The client properties of an embedded connection to this node as {@code user}. */
  Properties inProcessProperties(String user, Properties properties) {
    Properties info = new Properties();
    if (properties != null) {
      info.putAll(properties);
    }
    info.setProperty("user", user);
    info.setProperty(NODE, key);
    return info;
  }

  /** The node an embedded connection with {@code config} reaches. */
  static QuellNode of(ConnectionConfig config) {
    return byKey(config.url());
  }

  /** Closes every session, cancelling what runs, then the engine. */
  @Override public void close() {
    RUNNING.remove(key);
    for (EmbeddedMeta connection : embedded) {
      try {
        connection.end(CancelCause.SHUTDOWN);
      } catch (SQLException | RuntimeException e) {
        // the engine connection is closing with the engine anyway
      }
    }
    meta.closeAll();
    engine.close();
  }
}
