package io.quell.server;

import io.quell.cluster.ClusterActivity;
import io.quell.cluster.ClusterConfig;
import io.quell.cluster.PeerTrust;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;

import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.HttpServer;

import com.google.common.net.InetAddresses;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;

/**
 * A Quell node: the engine behind an Avatica HTTP server with BASIC authentication against the
 * user catalog, optionally over TLS, and optionally a member of a cluster. Stopping it leaves
 * the cluster, cancels running queries and ends sessions.
 */
public final class QuellServer implements AutoCloseable {
  private static final int MAX_REQUEST_THREADS = 2000;

  private final QuellEngine engine;
  private final HttpServer http;
  private final ClusterActivity cluster;

  private QuellServer(QuellEngine engine, HttpServer http, ClusterActivity cluster) {
    this.engine = engine;
    this.http = http;
    this.cluster = cluster;
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
    return start(config, host, port, serialization, tls, null, null);
  }

  /**
   * Starts a node as a member of the cluster of {@code cluster}, which peers reach at
   * {@code advertise} (host:port; null = {@link #advertisedHost} and the bound port). With
   * {@code tls}, peers are called over HTTPS and trusted by the same keystore the
   * node serves with, as Avatica's server also uses it for trust: members share a certificate or
   * hold their CA's, and each certificate names its member's advertised host.
   */
  public static QuellServer start(EngineConfig config, String host, int port,
      Serialization serialization, Tls tls, ClusterConfig cluster, String advertise)
      throws SQLException, IOException {
    ClusterActivity activity = cluster == null ? null
        : ClusterActivity.join(cluster, serialization,
            tls == null ? null : new PeerTrust(tls.keystore(), tls.password()));
    QuellEngine engine;
    try {
      engine = activity == null ? QuellEngine.start(config)
          : QuellEngine.start(config, activity);
    } catch (SQLException | IOException | RuntimeException e) {
      if (activity != null) {
        activity.close();
      }
      throw e;
    }
    try {
      AvaticaHandler avatica = serialization == Serialization.JSON
          ? new AvaticaJsonHandler(engine.service())
          : new AvaticaProtobufHandler(engine.service());
      HttpServer.Builder<Server> builder = new HttpServer.Builder<Server>()
          .withHandler(new AuthenticatingHandler(avatica, engine.catalog(),
              cluster == null ? null : cluster.secret(), tls != null))
          .withPort(port)
          .withServerCustomizers(List.of(server -> customize(server, host)), Server.class);
      if (tls != null) {
        builder.withTLS(tls.keystore(), tls.password(), tls.keystore(), tls.password());
      }
      HttpServer http = builder.build();
      http.start();
      if (activity != null) {
        activity.membership().advertise(advertise != null ? advertise
            : advertisedHost(host) + ":" + http.getPort());
      }
      return new QuellServer(engine, http, activity);
    } catch (RuntimeException e) {
      engine.close();
      if (activity != null) {
        activity.close();
      }
      throw e;
    }
  }

  /**
   * The host peers reach a node bound to {@code host} at, when no address is advertised: that
   * host, or for all interfaces (null or a wildcard) this machine's name, as other machines
   * resolve it; the loopback address would lead each member's peers back to themselves.
   */
  static String advertisedHost(String host) {
    boolean allInterfaces = host == null || host.isEmpty()
        || InetAddresses.isInetAddress(host) && InetAddresses.forString(host).isAnyLocalAddress();
    if (!allInterfaces) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress().getHostAddress();
    }
  }

  /**
   * Binds to {@code host}, lifts Jetty's thread cap (every running query holds a request
   * thread until it ends, and Avatica's default of 200 would stall a busy node), and lets a
   * TLS port tell plain HTTP apart, so that it can be refused with an answer.
   */
  private static void customize(Server server, String host) {
    ((QueuedThreadPool) server.getThreadPool()).setMaxThreads(MAX_REQUEST_THREADS);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector sc) {
        if (host != null) {
          sc.setHost(host);
        }
        SslConnectionFactory tls = sc.getConnectionFactory(SslConnectionFactory.class);
        if (tls != null) {
          // A client that forgot TLS would wait for the rest of the "TLS record" its plain
          // request began, and Avatica's client retries a closed connection forever. Plain
          // HTTP is parsed instead, so that AuthenticatingHandler can answer it 426.
          sc.addFirstConnectionFactory(
              new OptionalSslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()));
        }
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

  /**
   * Leaves the cluster, cancels running queries, closes sessions, stops HTTP, then flushes the
   * catalog.
   */
  @Override public void close() {
    if (cluster != null) {
      cluster.close();
    }
    engine.meta().closeAll();
    http.stop();
    engine.close();
  }
}
