package io.quell.server;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;

import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.HttpServer;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.File;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * A Quell node: the engine behind an Avatica HTTP server with BASIC authentication against the
 * user catalog, optionally over TLS. Stopping it cancels running queries and ends sessions.
 */
public final class QuellServer implements AutoCloseable {
  private static final int MAX_REQUEST_THREADS = 2000;

  private final QuellEngine engine;
  private final HttpServer http;

  private QuellServer(QuellEngine engine, HttpServer http) {
    this.engine = engine;
    this.http = http;
  }

  /** TLS settings: a keystore holding the server's key and its password. */
  public record Tls(File keystore, String password) {
  }

  /**
   * Starts a node on {@code port} (0 = any free port) bound to {@code host}.
   * {@code tls} may be null for plain HTTP.
   */
  public static QuellServer start(EngineConfig config, String host, int port,
      Serialization serialization, Tls tls) throws SQLException, IOException {
    QuellEngine engine = QuellEngine.start(config);
    try {
      AvaticaHandler avatica = serialization == Serialization.JSON
          ? new AvaticaJsonHandler(engine.service())
          : new AvaticaProtobufHandler(engine.service());
      HttpServer.Builder<Server> builder = new HttpServer.Builder<Server>()
          .withHandler(new AuthenticatingHandler(avatica, engine.catalog()))
          .withPort(port)
          .withServerCustomizers(List.of(server -> customize(server, host)), Server.class);
      if (tls != null) {
        builder.withTLS(tls.keystore(), tls.password(), tls.keystore(), tls.password());
      }
      HttpServer http = builder.build();
      http.start();
      return new QuellServer(engine, http);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * Binds to {@code host} and lifts Jetty's thread cap: every running query holds a request
   * thread until it ends, and Avatica's default of 200 would stall a busy node.
   */
  private static void customize(Server server, String host) {
    ((QueuedThreadPool) server.getThreadPool()).setMaxThreads(MAX_REQUEST_THREADS);
    for (Connector connector : server.getConnectors()) {
      if (host != null && connector instanceof ServerConnector sc) {
        sc.setHost(host);
      }
    }
  }

  public QuellEngine engine() {
    return engine;
  }

  public int port() {
    return http.getPort();
  }

  public void join() throws InterruptedException {
    http.join();
  }

  /** Cancels running queries, closes sessions, stops HTTP, then flushes the catalog. */
  @Override public void close() {
    engine.meta().closeAll();
    http.stop();
    engine.close();
  }
}
