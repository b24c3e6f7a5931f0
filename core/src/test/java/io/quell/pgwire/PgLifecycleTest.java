package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.frontend.QuellNode;
import io.quell.server.QuellServer;
import io.quell.server.login.Authenticator;
import io.quell.server.login.LoginThrottle;
import io.quell.testing.TestKeystore;
import io.quell.testing.TestNetwork;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL port over a server's life: TLS from the server's keystore, a drain that
 * refuses new sessions, and a stop that tells every connection why it ends.
 */
@Timeout(120)
class PgLifecycleTest {
  @TempDir Path dir;

  @Test void tlsIsOfferedWithTheServersKeyAndLoopbackMayStillConnectPlain() throws Exception {
    Path keystore = TestKeystore.create(dir.resolve("server.p12"), "store-secret");
    try (QuellServer server = QuellServer.builder(EngineConfig.builder()
            .dataDir(dir.resolve("data")).rootPassword(PgWireServer.ROOT_PASSWORD)
            .scaleFactor(0.01).build())
        .host("127.0.0.1").port(0).pgPort(0)
        .tls(new QuellServer.Tls(keystore.toFile(), "store-secret")).start()) {
      int port = server.pgPort().orElseThrow();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(8);
        out.writeInt(PgConnection.SSL_REQUEST);
        out.flush();
        assertEquals('S', new DataInputStream(socket.getInputStream()).readByte());
      }
      for (String mode : List.of("require", "disable")) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + port + "/quell?sslmode=" + mode, "root", PgWireServer.ROOT_PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'over ' || '" + mode + "'")) {
          rs.next();
          assertEquals("over " + mode, rs.getString(1));
        }
      }
    }
  }

  /**
   * With TLS the port listens on every interface, and a client from another address (here a
   * network namespace of the test's own) must use TLS: psql there without it is refused
   * before it logs in, with it gets in.
   */
  @Test void offLoopbackAClientWithoutTlsIsRefused() throws Exception {
    Assumptions.assumeTrue(PsqlTest.psql() != null || System.getenv("CI") != null,
        "psql is not installed: skipped");
    Path keystore = TestKeystore.create(dir.resolve("server.p12"), "store-secret");
    try (TestNetwork network = TestNetwork.create(1);
         QuellServer server = QuellServer.builder(EngineConfig.builder()
                 .dataDir(dir.resolve("data")).rootPassword(PgWireServer.ROOT_PASSWORD)
                 .scaleFactor(0.01).build())
             .port(0).pgPort(0)
             .tls(new QuellServer.Tls(keystore.toFile(), "store-secret")).start()) {
      String host = network.clientHostAddress().getHostAddress();
      int port = server.pgPort().orElseThrow();
      for (String mode : List.of("disable", "require")) {
        List<String> command = new ArrayList<>(network.inNamespace(0));
        command.addAll(List.of(PsqlTest.psql(), "-X", "-A", "-t", "-c", "SELECT 'in'",
            "host=" + host + " port=" + port + " user=root dbname=quell sslmode=" + mode));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PgWireServer.ROOT_PASSWORD);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        Process psql = builder.start();
        String output = new String(psql.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
        assertTrue(psql.waitFor(30, TimeUnit.SECONDS), output);
        if (mode.equals("disable")) {
          assertEquals(2, psql.exitValue(), output);
          assertTrue(output.contains("connections from " + network.clientAddress(0)
              + " must use TLS"), output);
        } else {
          assertEquals(0, psql.exitValue(), output);
          assertEquals("in", output.strip());
        }
      }
    }
  }

  @Test void aClientThatDoesNotCompleteItsLoginIsDisconnected() throws Exception {
    try (QuellNode node = QuellNode.start(EngineConfig.builder().dataDir(dir.resolve("data"))
        .rootPassword(PgWireServer.ROOT_PASSWORD).scaleFactor(0.01).build())) {
      PgListener listener = PgListener.start(node, new Authenticator(node.engine().catalog(),
          LoginThrottle.standard(), null), "127.0.0.1", 0, null, Duration.ofMillis(500));
      try (RawClient silent = new RawClient(listener.port());
           RawClient halfway = new RawClient(listener.port())) {
        halfway.startup("root");
        assertEquals('R', halfway.read().type());
        for (RawClient client : List.of(silent, halfway)) {
          List<RawClient.Message> messages = client.readUntilClosed();
          assertEquals(1, messages.size());
          assertEquals("57014", messages.get(0).field('C'));
          assertEquals("canceling authentication due to timeout", messages.get(0).field('M'));
        }
      } finally {
        listener.close();
      }
    }
  }

  @Test void aDrainRefusesNewSessionsCancelsQueriesAndEndsEveryConnection() throws Exception {
    QuellServer server = QuellServer.builder(EngineConfig.builder().dataDir(dir.resolve("data"))
            .rootPassword(PgWireServer.ROOT_PASSWORD).scaleFactor(0.01)
            .drainTimeout(Duration.ofSeconds(5)).build())
        .host("127.0.0.1").port(0).pgPort(0).start();
    int port = server.pgPort().orElseThrow();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/quell";
    try (RawClient idle = RawClient.login(port, "root", PgWireServer.ROOT_PASSWORD);
         Connection busy = DriverManager.getConnection(url, "root", PgWireServer.ROOT_PASSWORD)) {
      CompletableFuture<SQLException> query = CompletableFuture.supplyAsync(() -> {
        try (Statement s = busy.createStatement()) {
          s.execute("SELECT pg_sleep(30)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.engine().registry().queries().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the query started");
        Thread.sleep(10);
      }
      server.engine().drain().start();
      SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
          url, "root", PgWireServer.ROOT_PASSWORD).close());
      assertEquals("57P03", refused.getSQLState(), refused.getMessage());
      // The drain gives the query its time (past the refused login's), then cancels it and
      // stops the node.
      assertEquals("57014", query.get(20, TimeUnit.SECONDS).getSQLState());
      server.stopped().get(20, TimeUnit.SECONDS);
      List<RawClient.Message> goodbye = idle.readUntilClosed();
      assertEquals(1, goodbye.size());
      assertEquals("FATAL", goodbye.get(0).field('S'));
      assertEquals("57P01", goodbye.get(0).field('C'));
      assertTrue(busy.isClosed() || !busy.isValid(2), "the busy connection has ended too");
    } finally {
      server.close();
    }
  }
}
