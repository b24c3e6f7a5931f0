package io.quell.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A TCP relay on a free loopback port in front of a server; closing it cuts every connection
 * through it at once and refuses new ones, as a peer whose process died or whose network went.
 */
public final class LoopbackProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  public LoopbackProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void cut() {
    Socket s;
    while ((s = sockets.poll()) != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  @Override public void close() throws IOException {
    closed = true;
    listener.close();
    cut();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        if (closed) {
          // accepted while the relay closed, after its cut: cut again, or it would live on
          cut();
          return;
        }
        pump(client, server);
        pump(server, client);
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException cut) {
        // one side closed
      } finally {
        try {
          to.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }
}
