package io.quell.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Without TLS the server listens on loopback only, and plain HTTP elsewhere needs --insecure,
 * as CockroachDB requires. Every 127.x address is loopback on Linux, and a server bound to all
 * interfaces answers on 127.0.0.2 while one bound to 127.0.0.1 does not: that tells them apart
 * without any address outside this machine.
 */
@Timeout(120)
class SecureDefaultsTest {
  @TempDir Path dir;

  private String[] args(String... more) throws IOException {
    String[] base = {"--port", "0", "--pg-port", String.valueOf(freePort()), "--scale", "0.01",
        "--data-dir", dir.toString(), "--root-password", "root-secret"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static QuellServer start(String... args) throws Exception {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs(args);
    return main.start();
  }

  /** A port free on every interface now: the PostgreSQL port, which 0 would switch off. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean answers(String address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 2000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  @Test void byDefaultOnlyLoopbackIsServed() throws Exception {
    try (QuellServer server = start(args())) {
      assertTrue(answers("127.0.0.1", server.port()));
      assertEquals(false, answers("127.0.0.2", server.port()), "bound beyond 127.0.0.1");
      int pg = server.pgPort().orElseThrow();
      assertTrue(answers("127.0.0.1", pg));
      assertEquals(false, answers("127.0.0.2", pg), "PostgreSQL bound beyond 127.0.0.1");
    }
  }

  @Test void plainHttpOnAllInterfacesIsRefusedWithoutInsecure() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new ServerMain()).execute(args("--host", "0.0.0.0"));
    } finally {
      System.setErr(saved);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, exit, message);
    assertTrue(message.contains("refusing to serve plain HTTP on 0.0.0.0")
        && message.contains("--insecure") && message.contains("--tls-keystore"), message);
    assertEquals(1, message.strip().lines().count(), "one clear line: " + message);
    // nothing was started: the catalog was not even created
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      assertEquals(0, files.count());
    }
    assertThrows(IllegalArgumentException.class, () -> QuellServer.bindHost("0.0.0.0", false,
        false));
  }

  @Test void negativeDrainAndHistoryFlagsAreRefusedBeforeAnythingStarts() throws Exception {
    for (String[] flag : new String[][] {{"--drain-timeout", "-1"},
        {"--closed-session-retention", "-5"}, {"--closed-session-limit", "-1"}}) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit;
      try {
        exit = new CommandLine(new ServerMain()).execute(args(flag));
      } finally {
        System.setErr(saved);
      }
      String message = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, exit, message);
      assertTrue(message.contains("must not be negative"), message);
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
        assertEquals(0, files.count(), "nothing was created for " + flag[0]);
      }
    }
  }

  @Test void insecureServesAllInterfacesAndWarns() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (QuellServer server = start(args("--host", "0.0.0.0", "--insecure"))) {
      assertTrue(answers("127.0.0.2", server.port()), "bound to all interfaces");
      assertTrue(answers("127.0.0.2", server.pgPort().orElseThrow()),
          "PostgreSQL bound to all interfaces");
    } finally {
      System.setErr(saved);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertTrue(log.lines().anyMatch(l -> l.contains("WARN")
        && l.contains("serving plain HTTP on 0.0.0.0 (--insecure)")), log);
  }

  @Test void tlsServesAllInterfacesByDefault() {
    assertEquals(null, QuellServer.bindHost(null, true, false));
    assertEquals("0.0.0.0", QuellServer.bindHost("0.0.0.0", true, false));
    assertEquals("127.0.0.1", QuellServer.bindHost(null, false, false));
    assertEquals("localhost", QuellServer.bindHost("localhost", false, false));
  }
}
