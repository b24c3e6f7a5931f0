package io.quell.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A start that cannot succeed says why in one line and exits non-zero, with nothing served. */
class ServerMainTest {
  @TempDir Path dir;

  /** Exit code and the lines the command wrote for the operator. */
  private record Outcome(int exit, List<String> said) {
  }

  private Outcome run(String... flags) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      String[] args = new String[flags.length + 4];
      System.arraycopy(new String[] {"--port", "0", "--data-dir", dir.toString()}, 0, args, 0, 4);
      System.arraycopy(flags, 0, args, 4, flags.length);
      exit = new CommandLine(new ServerMain()).execute(args);
    } finally {
      System.setErr(saved);
    }
    return new Outcome(exit, err.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("quell: ")).toList());
  }

  @Test void anUnreachableCatalogIs08001() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Outcome outcome = run("--catalog-url", "jdbc:postgresql://127.0.0.1:" + closed + "/quell",
        "--catalog-user", "quell");
    assertEquals(1, outcome.exit(), outcome.toString());
    assertEquals(1, outcome.said().size(), outcome.toString());
    String said = outcome.said().get(0);
    assertEquals(true, said.startsWith("quell: cannot reach the user catalog: Connection to "
        + "127.0.0.1:" + closed + " refused") && said.endsWith("(SQLSTATE 08001)"), said);
  }

  @Test void aPostgresqlPortOutOfRangeIsRefused() {
    Outcome outcome = run("--pg-port", "70000");
    assertEquals(2, outcome.exit(), outcome.toString());
    assertEquals(List.of("quell: --pg-port 70000 is no port: give 1-65535, or 0 for no "
        + "PostgreSQL port"), outcome.said());
  }

  @Test void aCatalogOfAnotherKindIs0A000() {
    Outcome outcome = run("--catalog-url", "jdbc:mysql://127.0.0.1/quell");
    assertEquals(1, outcome.exit(), outcome.toString());
    assertEquals(List.of("quell: the user catalog must be an H2 (jdbc:h2:...) or PostgreSQL "
        + "(jdbc:postgresql://...) database, not jdbc:mysql://127.0.0.1/quell (SQLSTATE 0A000)"),
        outcome.said());
  }

  @Test void aCatalogUserWithoutACatalogUrlIsRefused() {
    Outcome outcome = run("--catalog-user", "quell");
    assertEquals(2, outcome.exit(), outcome.toString());
    assertEquals(List.of("quell: --catalog-user is the login of a --catalog-url database; the "
        + "embedded catalog in --data-dir has none"), outcome.said());
  }
}
