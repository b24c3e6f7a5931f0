package io.quell.server;

import io.quell.cluster.ClusterActivity;
import io.quell.cluster.ClusterConfig;
import io.quell.cluster.PeerEndpoint;
import io.quell.cluster.PeerTrust;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;
import io.quell.pgwire.PgListener;
import io.quell.server.console.Console;
import io.quell.server.login.Authenticator;
import io.quell.server.login.LoginThrottle;

import io.micrometer.core.instrument.FunctionCounter;

import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.server.HttpServer;

import com.google.common.net.InetAddresses;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;

/**
 * A Quell node: the engine behind an Avatica HTTP server with BASIC authentication against the
 * user catalog and the web console on the same port, optionally over TLS, optionally the
 * PostgreSQL protocol on a port of its own (same host, same TLS key, same logins), and
 * optionally a member of a cluster, which also serves its peers' calls on the HTTP port. Stopping it cancels
 * running queries, ends sessions and then leaves the cluster; draining it first lets running
 * queries finish, and a drain however started (SIGTERM, DRAIN NODE) ends with the node stopped.
 */
public final class QuellServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuellServer.class);
  private static final int MAX_REQUEST_THREADS = 2000;
  /** Half the request threads: the other half stays free for CANCEL, SHOW and new sessions. */
  private static final int MAX_QUEUED_QUERIES = MAX_REQUEST_THREADS / 2;

  private final QuellNode node;
  private final HttpServer http;
  private final PgListener postgres;
  private final ClusterActivity cluster;
  private final Console console;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private QuellServer(QuellNode node, HttpServer http, PgListener postgres,
      ClusterActivity cluster, Console console) {
    this.node = node;
    this.http = http;
    this.postgres = postgres;
    this.cluster = cluster;
    this.console = console;
    node.engine().drain().finished().thenRunAsync(this::close);
  }

  /** TLS settings: a keystore holding the server's key and its password. */
  public record Tls(File keystore, String password) {
  }

  /**
   * Starts a node on {@code port} (0 = any free port) bound to {@code host}.
   * {@code tls} may be null for plain HTTP, which only a loopback host may serve.
   */
  public static QuellServer start(EngineConfig config, String host, int port,
      Serialization serialization, Tls tls) throws SQLException, IOException {
    return builder(config).host(host).port(port).serialization(serialization).tls(tls).start();
  }

  public static Builder builder(EngineConfig config) {
    return new Builder(config);
  }

  /** How a node listens and whether it joins a cluster; every field has the product default. */
  public static final class Builder {
    private final EngineConfig config;
    private String host;
    private int port = 8765;
    private Serialization serialization = Serialization.PROTOBUF;
    private Tls tls;
    private boolean insecure;
    private ClusterConfig cluster;
    private String advertise;
    private LoginThrottle loginThrottle;
    private Duration consoleIdleTimeout = Console.DEFAULT_IDLE_TIMEOUT;
    private boolean metricsAuth;
    private Integer pgPort;

    private Builder(EngineConfig config) {
      this.config = config;
    }

    /**
     * The address to bind; null is loopback for plain HTTP and every interface with TLS.
     * Plain HTTP on any other address sends every password in clear, so it needs
     * {@link #insecure}.
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** 0 picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder serialization(Serialization serialization) {
      this.serialization = serialization;
      return this;
    }

    /** HTTPS with this key; null for plain HTTP. */
    public Builder tls(Tls tls) {
      this.tls = tls;
      return this;
    }

    /** Allows plain HTTP on a non-loopback address, with a warning (CockroachDB's rule). */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * Makes the node a member of {@code cluster}, which peers reach at {@code advertise}
     * (host:port; null = {@link #advertisedHost} and the bound port). With TLS, peers are
     * called over HTTPS and trusted by the same keystore the node serves with, as Avatica's
     * server also uses it for trust: members share a certificate or hold their CA's, and each
     * certificate names its member's advertised host.
     */
    public Builder cluster(ClusterConfig cluster, String advertise) {
      this.cluster = cluster;
      this.advertise = advertise;
      return this;
    }

    /**
     * How failed logins slow further attempts of the same user and address (default: a new
     * {@link LoginThrottle#standard()}, since each server has its own).
     */
    public Builder loginThrottle(LoginThrottle loginThrottle) {
      this.loginThrottle = loginThrottle;
      return this;
    }

    /** Whether {@code GET /metrics} needs a user's login (default: it needs none). */
    public Builder metricsAuth(boolean metricsAuth) {
      this.metricsAuth = metricsAuth;
      return this;
    }

    /** How long a web console login lasts without a request; at least a second. */
    public Builder consoleIdleTimeout(Duration consoleIdleTimeout) {
      if (consoleIdleTimeout.toSeconds() < 1) {
        throw new IllegalArgumentException("the web console's idle timeout must be at least "
            + "1 second, not " + consoleIdleTimeout.toMillis() + " ms");
      }
      this.consoleIdleTimeout = consoleIdleTimeout;
      return this;
    }

    /**
     * Serves the PostgreSQL protocol on {@code pgPort} (0 picks a free port) of the same host
     * as HTTP, with the same TLS key; without this call the node serves no PostgreSQL port
     * ({@link ServerMain}'s {@code --pg-port} makes the call unless given 0).
     */
    public Builder pgPort(int pgPort) {
      this.pgPort = pgPort;
      return this;
    }

    public QuellServer start() throws SQLException, IOException {
      String bindHost = bindHost(host, tls != null, insecure);
      ClusterActivity activity = cluster == null ? null
          : ClusterActivity.join(cluster,
              tls == null ? null : new PeerTrust(tls.keystore(), tls.password()));
      QuellNode node;
      Console console = null;
      try {
        node = activity == null ? QuellNode.start(config)
            : QuellNode.start(config, activity.nodeId(), activity);
      } catch (SQLException | IOException | RuntimeException e) {
        if (activity != null) {
          activity.close();
        }
        throw e;
      }
      // A node that fails to become ready must not stay listening.
      HttpServer server = null;
      PgListener postgres = null;
      try {
        node.engine().admission().capQueue(MAX_QUEUED_QUERIES, "each waiting query holds one "
            + "of the server's " + MAX_REQUEST_THREADS + " request threads, and CANCEL needs some");
        AvaticaEndpoint avatica =
            AvaticaEndpoint.of(serialization, node.service(), node.errorReplies());
        Authenticator authenticator = new Authenticator(node.engine().catalog(),
            loginThrottle != null ? loginThrottle : LoginThrottle.standard(),
            cluster == null ? null : cluster.secret());
        FunctionCounter.builder("quell.logins.failed", authenticator,
                Authenticator::failedLogins)
            .description("Logins refused for a wrong password or user, or while throttled")
            .register(node.engine().metrics().registry());
        console = Console.of(node, authenticator, tls != null, consoleIdleTimeout);
        HttpServer.Builder<Server> http = new HttpServer.Builder<Server>()
            .withHandler(new HttpEntry(new AuthenticatingHandler(avatica,
                    activity == null ? null : new PeerEndpoint(node.engine()), authenticator),
                console.handler(), new MetricsHandler(node.engine().metrics(),
                    metricsAuth ? authenticator : null), tls != null))
            .withPort(port)
            .withServerCustomizers(List.of(jetty -> customize(jetty, bindHost)),
                Server.class);
        if (tls != null) {
          http.withTLS(tls.keystore(), tls.password(), tls.keystore(), tls.password());
        }
        server = http.build();
        server.start();
        if (pgPort != null) {
          postgres = PgListener.start(node, authenticator, bindHost, pgPort,
              tls == null ? null : keyManagers(tls));
        }
        if (activity != null) {
          activity.ready(advertise != null ? advertise
              : advertisedHost(bindHost) + ":" + server.getPort());
        }
        return new QuellServer(node, server, postgres, activity, console);
      } catch (RuntimeException | IOException e) {
        if (console != null) {
          console.close();
        }
        node.close();
        if (postgres != null) {
          postgres.close();
        }
        if (activity != null) {
          activity.close();
        }
        if (server != null) {
          server.stop();
        }
        throw e;
      }
    }
  }

  /** The key managers of {@code tls}'s keystore, for the PostgreSQL port's TLS. */
  private static KeyManagerFactory keyManagers(Tls tls) throws IOException {
    char[] password = tls.password() == null ? new char[0] : tls.password().toCharArray();
    try {
      KeyStore keystore = KeyStore.getInstance(tls.keystore(), password);
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keystore, password);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the keystore " + tls.keystore() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The address to bind for {@code host}: loopback by default without TLS, as PostgreSQL
   * listens on localhost; every interface by default with TLS. Plain HTTP elsewhere is refused
   * unless {@code insecure}, and then warned about.
   */
  static String bindHost(String host, boolean tls, boolean insecure) {
    if (host == null || host.isEmpty()) {
      return tls ? null : InetAddress.getLoopbackAddress().getHostAddress();
    }
    if (!tls && !isLoopback(host)) {
      if (!insecure) {
        throw new IllegalArgumentException("refusing to serve plain HTTP on " + host
            + ": every request would carry its user's password in clear. Give --tls-keystore "
            + "to serve HTTPS, or --insecure to serve plain HTTP on this address anyway");
      }
      LOG.warn("serving plain HTTP on {} (--insecure): passwords cross the network in clear",
          host);
    }
    return host;
  }

  private static boolean isLoopback(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      return Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
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
   * Binds to {@code host}, hides Jetty's internals from clients, lifts Jetty's thread cap (every running query holds a request
   * thread until it ends, and Avatica's default of 200 would stall a busy node), and lets a
   * TLS port tell plain HTTP apart, so that it can be refused with an answer.
   */
  private static void customize(Server server, String host) {
    ((QueuedThreadPool) server.getThreadPool()).setMaxThreads(MAX_REQUEST_THREADS);
    // Jetty's own error pages would show stack traces, and its headers its version.
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    server.setErrorHandler(errors);
    for (Connector connector : server.getConnectors()) {
      HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
      if (http != null) {
        http.getHttpConfiguration().setSendServerVersion(false);
        http.getHttpConfiguration().setSendXPoweredBy(false);
      }
      if (connector instanceof ServerConnector sc) {
        if (host != null) {
          sc.setHost(host);
        }
        SslConnectionFactory tls = sc.getConnectionFactory(SslConnectionFactory.class);
        if (tls != null) {
          // A client that forgot TLS would wait for the rest of the "TLS record" its plain
          // request began, and Avatica's client retries a closed connection forever. Plain
          // HTTP is parsed instead, so that HttpEntry can answer it 426.
          sc.addFirstConnectionFactory(
              new OptionalSslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()));
        }
      }
    }
  }

  public QuellEngine engine() {
    return node.engine();
  }

  /** This node's membership of its cluster; empty for a single node. */
  public Optional<ClusterActivity> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** The node behind the HTTP server, whose in-process connections skip HTTP. */
  public QuellNode node() {
    return node;
  }

  public int port() {
    return http.getPort();
  }

  /** The port of the PostgreSQL protocol; empty when the node serves none. */
  public Optional<Integer> pgPort() {
    return Optional.ofNullable(postgres).map(PgListener::port);
  }

  public void join() throws InterruptedException {
    http.join();
  }

  /**
   * Drains the node (see {@link io.quell.engine.NodeDrain}: new sessions refused, running
   * queries given the drain timeout, the rest cancelled) and then stops it; returns once it has
   * stopped.
   */
  public void drain() {
    node.engine().drain().start().join();
    close();
  }

  /** Completes once the node has stopped, however it was stopped. */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  /**
   * Ends the web console's logins, cancels running queries, closes sessions and flushes the
   * catalog, then tells the PostgreSQL connections the server is terminating them, leaves the
   * cluster and stops HTTP. Sessions end while HTTP still runs, so that waiting clients hear
   * why their queries ended; the node leaves ZooKeeper only after, so that until then the
   * other members list it (draining, if it drained) rather than lose its sessions from view.
   */
  @Override public synchronized void close() {
    if (stopped.isDone()) {
      return;
    }
    try {
      console.close();
      node.close();
      if (postgres != null) {
        postgres.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      http.stop();
    } finally {
      stopped.complete(null);
    }
  }
}
