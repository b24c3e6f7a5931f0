package io.quell.driver;

import io.quell.server.QuellServer;

import java.time.Duration;
import java.util.Arrays;

/**
 * What a server holds for its clients: sessions, running queries, Avatica connections, and
 * threads working inside the engine. After every client has gone, all must drop to zero.
 */
record ServerHoldings(int sessions, int queries, long connections, int busyThreads) {
  static ServerHoldings of(QuellServer server) {
    return new ServerHoldings(server.engine().registry().sessions().size(),
        server.engine().registry().queries().size(), server.node().openConnections(),
        threadsInEngine());
  }

  boolean isEmpty() {
    return sessions == 0 && queries == 0 && connections == 0 && busyThreads == 0;
  }

  /**
   * Polls until the server holds nothing, for up to {@code within}; returns what it held
   * last, so a caller can assert and report it.
   */
  static ServerHoldings awaitEmpty(QuellServer server, Duration within)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    ServerHoldings holdings = of(server);
    while (!holdings.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100);
      holdings = of(server);
    }
    return holdings;
  }

  /** Threads, other than the caller, with a request of a client open in the engine's door. */
  private static int threadsInEngine() {
    // The router every HTTP request passes, package-private in the front end.
    String door = "io.quell.frontend.ServerMeta";
    return (int) Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey() != Thread.currentThread())
        .filter(e -> Arrays.stream(e.getValue())
            .anyMatch(frame -> frame.getClassName().equals(door)
                && !frame.getMethodName().equals("expire")))
        .count();
  }
}
