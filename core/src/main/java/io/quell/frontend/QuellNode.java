package io.quell.frontend;

import io.quell.activity.Peers;
import io.quell.client.SqlState;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.session.CancelCause;
import io.quell.session.Session;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Quell node: its engine and the Avatica front end through which every client reaches it,
 * over HTTP (the server exposes {@link #service()}) or in the same JVM ({@link #connect},
 * {@code jdbc:quell:embedded:}). Either way a connection's statements run in its session's
 * {@link SessionMeta}, straight on the engine; over HTTP, {@link ServerMeta} routes each
 * request to it.
 */
public final class QuellNode implements AutoCloseable {
  private static final Map<String, QuellNode> RUNNING = new ConcurrentHashMap<>();
  /** The client property naming the node of an embedded connection: Avatica's server URL. */
  private static final String NODE = "url";
  /**
   * The property by which a front end in this process (pgwire) gives an embedded connection
   * its client's {@code host:port}, as SHOW SESSIONS shows it.
   */
  public static final String CLIENT_ADDRESS = "clientAddress";
  /**
   * The most statements a network client may hold open on one connection, over HTTP and the
   * PostgreSQL protocol alike; past it a new one fails with 53000.
   */
  public static final int MAX_OPEN_STATEMENTS = HandleTable.MAX_STATEMENTS;

  private final String key = UUID.randomUUID().toString();
  private final QuellEngine engine;
  private final ErrorReplies errorReplies;
  private final QueryTracker queries;
  private final ServerMeta server;
  private final Service service;
  /** The sessions' Metas, embedded and over HTTP, whose sessions end when the node closes. */
  private final Set<SessionMeta> sessions = ConcurrentHashMap.newKeySet();

  private QuellNode(QuellEngine engine) {
    this.engine = engine;
    this.errorReplies = new ErrorReplies(engine.config().debugErrors());
    this.queries = new QueryTracker(engine);
    this.server = new ServerMeta(this, engine.config().connectionExpiry());
    this.service = RequestGuard.around(server);
    // Queries whose client has gone away first, then connections no client uses any more.
    engine.everySweep(() -> {
      queries.cancelAbandoned();
      server.expire();
    });
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

  private static QuellNode over(QuellEngine engine) {
    try {
      return new QuellNode(engine);
    } catch (RuntimeException e) {
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
    return SessionMeta.embedded(this);
  }

  /** The queries of every session of the node. */
  QueryTracker queries() {
    return queries;
  }

  void opened(SessionMeta session) {
    sessions.add(session);
  }

  void closed(SessionMeta session) {
    sessions.remove(session);
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
    return server.openConnections();
  }

  /**
   * Opens an embedded connection as {@code user}, as {@code jdbc:quell:embedded:} does, for
   * the tests and benchmarks that drive a node they started. The process is trusted, so no
   * password is asked; the user must exist and have LOGIN.
   */
  public Connection connect(String user, Properties properties) throws SQLException {
    return EmbeddedDriver.connect(this, user, properties);
  }

  /**
   * The session of {@code connection}, an embedded connection to this node, for a front end in
   * this process that needs its ids (pgwire's BackendKeyData); empty once it has ended.
   */
  public Optional<Session> session(Connection connection) throws SQLException {
    AvaticaConnection client = connection.unwrap(AvaticaConnection.class);
    return sessions.stream().filter(meta -> meta.serves(client))
        .map(SessionMeta::session).filter(Objects::nonNull).findFirst();
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
    for (SessionMeta session : sessions) {
      try {
        session.end(CancelCause.SHUTDOWN);
      } catch (RuntimeException e) {
        // the engine connection is closing with the engine anyway
      }
    }
    server.clear();
    engine.close();
  }
}
