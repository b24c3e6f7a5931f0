package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.catalog.PasswordHasher;
import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;
import io.quell.server.login.LoginThrottle;

import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Password guessing against the real server: after five failures for one user from one
 * address, guesses wait and most are refused without the KDF, so guessing is slow and cheap
 * for the server; the same user from another address, and other users, get in at once.
 */
@Timeout(180)
class LoginThrottleTest {
  /** The product's schedule, scaled down tenfold so that twenty guesses take seconds. */
  private static final LoginThrottle THROTTLE =
      new LoginThrottle(5, Duration.ofMillis(200), Duration.ofSeconds(1));

  @TempDir Path dir;

  @Test void guessesFromOneAddressAreSlowAndCheap() throws Exception {
    try (ServerFixture f = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(dir).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0).loginThrottle(THROTTLE), null, Serialization.PROTOBUF)) {
      update(f.root(), "CREATE USER maxroach WITH PASSWORD 'roach-Secret-1'");
      update(f.root(), "CREATE USER ops WITH PASSWORD 'ops-Secret-2'");
      long kdfCpu = kdfCpuNanos();
      long cpu0 = serverCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        int guess = i;
        SQLException e = assertThrows(SQLException.class,
            () -> f.connect("maxroach", "guess-" + guess));
        assertEquals("28P01", e.getSQLState(), e.getMessage());
      }
      long elapsed = System.nanoTime() - t0;
      long cpu = serverCpuNanos() - cpu0;
      // Guesses 1-5 are checked at once; after that every other guess meets an open window,
      // waits it out and is refused unchecked, and the next one is checked: 12 checks.
      long expected = 0;
      for (int failures = 5; failures <= 12; failures++) {
        expected += THROTTLE.delayNanos(failures);
      }
      System.out.printf("20 wrong guesses: %.1f s (throttle windows %.1f s), %.2f s CPU = %.1f "
          + "KDF evaluations of %.0f ms%n", elapsed / 1e9, expected / 1e9, cpu / 1e9,
          cpu / (double) kdfCpu, kdfCpu / 1e6);
      assertTrue(elapsed >= expected * 9 / 10, "took " + elapsed / 1e6 + " ms, expected "
          + expected / 1e6 + " ms of waiting");
      assertTrue(cpu < 20 * kdfCpu, "the guesses cost " + cpu / (double) kdfCpu + " KDFs");

      // The right password from another address, and another user, get in at once.
      long t1 = System.nanoTime();
      assertEquals(200, openConnection(f.server.port(), "127.0.0.2", "maxroach",
          "roach-Secret-1"));
      assertEquals(List.of("1"), strings(f.connect("ops", "ops-Secret-2"), "SELECT 1"));
      long otherMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
      assertTrue(otherMs < 3000, "took " + otherMs + " ms");
      // From the throttled address a wrong guess is still refused, and once the window has
      // passed the right password is accepted and clears the pair.
      assertEquals(401, openConnection(f.server.port(), "127.0.0.1", "maxroach", "guess-21"));
      Thread.sleep(THROTTLE.delayNanos(100) / 1_000_000 + 100);
      assertEquals(List.of("1"), strings(f.connect("maxroach", "roach-Secret-1"), "SELECT 1"));
    }
  }

  /**
   * A pool opening many connections at once with the right password is not guessing: every
   * login gets in, and the password is checked with the KDF about once, not once per login.
   */
  @Test void parallelLoginsWithTheRightPasswordAllGetIn() throws Exception {
    try (ServerFixture f = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(dir).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0).loginThrottle(THROTTLE), null, Serialization.PROTOBUF)) {
      update(f.root(), "CREATE USER maxroach WITH PASSWORD 'roach-Secret-1'");
      long kdfCpu = kdfCpuNanos();
      long cpu0 = serverCpuNanos();
      int logins = 40;
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(logins);
      try {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
        for (int i = 0; i < logins; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return strings(f.connect("maxroach", "roach-Secret-1"), "SELECT 1");
          }));
        }
        go.countDown();
        for (java.util.concurrent.Future<List<String>> r : results) {
          assertEquals(List.of("1"), r.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      long cpu = serverCpuNanos() - cpu0;
      System.out.printf("%d parallel logins: %.1f KDF evaluations of server CPU%n", logins,
          cpu / (double) kdfCpu);
      assertTrue(cpu < 8 * kdfCpu, "the logins cost " + cpu / (double) kdfCpu + " KDFs");
    }
  }

  /** The CPU time of one password check (the fastest of three). */
  private static long kdfCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String stored = PasswordHasher.hash("right");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      PasswordHasher.verify("wrong", stored);
      best = Math.min(best, threads.getCurrentThreadCpuTime() - c0);
    }
    return best;
  }

  /** The CPU time the server's request threads have used (the clients run elsewhere). */
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo info
        : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("avatica_qtp")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** Opens an Avatica connection over a socket from {@code source}; the HTTP status. */
  private static int openConnection(int port, String source, String user, String password)
      throws Exception {
    byte[] body = new ProtobufTranslationImpl().serializeRequest(
        new Service.OpenConnectionRequest(UUID.randomUUID().toString(), Map.of()));
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Basic "
          + Base64.getEncoder().encodeToString((user + ":" + password)
              .getBytes(StandardCharsets.UTF_8))
          + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
