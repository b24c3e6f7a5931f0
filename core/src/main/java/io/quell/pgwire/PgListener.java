package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.frontend.QuellNode;
import io.quell.server.login.Authenticator;
import io.quell.session.Session;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The node's PostgreSQL protocol (v3) listener, so that psql, pgjdbc, psycopg2 and the BI tools
 * built on them connect to Quell. Each connection logs in with SCRAM-SHA-256 against the user
 * catalog and then runs its statements through one embedded JDBC connection to the node, the
 * front end every client uses. With TLS configured (the server's keystore) an SSLRequest is
 * answered with TLS, and a client from off this machine must use it, as plain HTTP is refused
 * there; without TLS the listener binds where the HTTP server does, loopback unless the
 * operator chose otherwise.
 *
 * <p>Netty reads and writes; statements run on worker threads, one connection's at a time, so
 * that no event loop waits for a query. Connections whose session ended (CANCEL SESSION, an
 * idle timeout, a drain) are told so and closed by the node's session sweep; closing the
 * listener tells every connection the server is stopping.
 */
public final class PgListener implements AutoCloseable {
  /** How long closing gives connections to say goodbye before their sockets are closed. */
  private static final long GOODBYE_MILLIS = 2000;
  private static final AtomicInteger LISTENERS = new AtomicInteger();

  /** How long a connection may take to log in, as PostgreSQL's authentication_timeout. */
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(60);

  /** What every connection of the listener uses. */
  record Shared(QuellNode node, Authenticator authenticator, SslContext ssl,
      CancelKeys cancelKeys, ExecutorService workers, Set<PgConnection> connections,
      Duration loginTimeout) {
    /** Whether clients from off this machine must use TLS: whenever TLS is configured. */
    boolean tlsRequired() {
      return ssl != null;
    }

    void opened(PgConnection connection) {
      connections.add(connection);
    }

    void closed(PgConnection connection) {
      connections.remove(connection);
    }
  }

  private final Shared shared;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup loops;
  private final ChannelGroup channels;
  private final Channel server;

  private PgListener(Shared shared, EventLoopGroup acceptor, EventLoopGroup loops,
      ChannelGroup channels, Channel server) {
    this.shared = shared;
    this.acceptor = acceptor;
    this.loops = loops;
    this.channels = channels;
    this.server = server;
  }

  /**
   * Listens on {@code host} (null: every interface) and {@code port} (0: any free port) for
   * the connections of {@code node}, whose logins {@code authenticator} checks; {@code tls}
   * holds the server's key, or is null for plain connections only.
   */
  public static PgListener start(QuellNode node, Authenticator authenticator, String host,
      int port, KeyManagerFactory tls) throws IOException {
    return start(node, authenticator, host, port, tls, LOGIN_TIMEOUT);
  }

  /** As {@link #start}, with connections given {@code loginTimeout} to log in. */
  static PgListener start(QuellNode node, Authenticator authenticator, String host, int port,
      KeyManagerFactory tls, Duration loginTimeout) throws IOException {
    SslContext ssl = null;
    if (tls != null) {
      try {
        ssl = SslContextBuilder.forServer(tls).sslProvider(SslProvider.JDK).build();
      } catch (SSLException e) {
        throw new IOException("cannot serve TLS on the PostgreSQL port: " + e.getMessage(), e);
      }
    }
    int id = LISTENERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "quell-pgwire-" + id + "-worker-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Shared shared = new Shared(node, authenticator, ssl,
        new CancelKeys(node.engine(), System::nanoTime), workers,
        ConcurrentHashMap.newKeySet(), loginTimeout);
    EventLoopGroup acceptor = new NioEventLoopGroup(1,
        new DefaultThreadFactory("quell-pgwire-" + id + "-accept", true));
    EventLoopGroup loops = new NioEventLoopGroup(0,
        new DefaultThreadFactory("quell-pgwire-" + id + "-io", true));
    ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, loops)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override protected void initChannel(SocketChannel channel) {
              channels.add(channel);
              FrameDecoder decoder = new FrameDecoder();
              channel.pipeline().addLast(decoder, new PgConnection(shared, decoder));
            }
          });
      InetSocketAddress address = host == null ? new InetSocketAddress(port)
          : new InetSocketAddress(host, port);
      Channel server = bootstrap.bind(address).sync().channel();
      PgListener listener = new PgListener(shared, acceptor, loops, channels, server);
      node.engine().everySweep(listener::closeEnded);
      return listener;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(acceptor, loops, workers);
      throw new IOException("interrupted while binding the PostgreSQL port", e);
    } catch (RuntimeException e) {
      stop(acceptor, loops, workers);
      throw new IOException("cannot listen on the PostgreSQL port " + port + ": "
          + e.getMessage(), e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Whether {@code ip}, a client's address, is this machine's loopback. */
  static boolean isLoopback(String ip) {
    try {
      return InetAddress.getByName(ip).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Tells the connections whose session has ended why, and closes them (the node's sweep). */
  private void closeEnded() {
    for (PgConnection connection : shared.connections()) {
      Session session = connection.session();
      if (session != null && session.endCause() != null) {
        shared.closed(connection);
        try {
          session.checkAlive();
        } catch (QuellException ended) {
          connection.terminate(ended.sqlState(), ended.getMessage());
        }
      }
    }
  }

  /**
   * Stops listening and ends every connection: each logged-in one hears that the server is
   * terminating it (57P01) once its worker is done with what it does (its session has ended
   * with the node, so its statement stops), one still logging in hears it at once; then all
   * sockets close.
   */
  @Override public void close() {
    server.close().awaitUninterruptibly();
    for (Channel channel : channels) {
      PgConnection connection = channel.pipeline().get(PgConnection.class);
      if (connection != null) {
        connection.terminate(SqlState.ADMIN_SHUTDOWN,
            "terminating connection due to administrator command");
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GOODBYE_MILLIS);
    while (!channels.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.close().awaitUninterruptibly();
    stop(acceptor, loops, shared.workers());
  }

  private static void stop(EventLoopGroup acceptor, EventLoopGroup loops,
      ExecutorService workers) {
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdown();
  }
}
