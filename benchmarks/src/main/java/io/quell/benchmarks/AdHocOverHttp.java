package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Figure 8f: figure 8a/8b over HTTP, as a BI tool sends statements through {@code
 * jdbc:quell://}: an ad-hoc statement (a new {@code Statement} per query, literal in the text;
 * the same text, then a varying literal) against the same query prepared once with {@code ?}.
 * The sides alternate batch by batch in one run after a warm-up of each; medians compared.
 * Runs by itself ({@code main}), so that the same class measures a tree before and after a
 * change of the front end.
 */
public final class AdHocOverHttp {
  private static final String PASSWORD = "bench-Secret-1";
  private static final long WARM_UP_NANOS = 5_000_000_000L;

  private AdHocOverHttp() {
  }

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory("quell-adhoc-http");
    try (QuellServer server = QuellServer.start(EngineConfig.builder().dataDir(dir)
            .scaleFactor(0.01).rootPassword(PASSWORD).build(), "127.0.0.1", 0,
        Serialization.PROTOBUF, null);
         Connection c = DriverManager.getConnection("jdbc:quell://127.0.0.1:" + server.port()
             + "?user=root&password=" + PASSWORD);
         PreparedStatement prepared = c.prepareStatement(AdHocStatements.TEXT + "?")) {
      AdHocStatements.Side[] sides = {
          i -> AdHocStatements.run(c, AdHocStatements.TEXT + "5"),
          i -> AdHocStatements.run(c, AdHocStatements.TEXT + (i % 25)),
          i -> {
            prepared.setInt(1, i % 25);
            AdHocStatements.drain(prepared.executeQuery());
          }};
      Stats[] stats = AdHocStatements.compare(sides, batches, 50, WARM_UP_NANOS);
      double prep = stats[2].median();
      System.out.printf("8f over HTTP, median ms/stmt: same text %.3f (%.2fx), varying literal"
          + " %.3f (%.2fx), prepared %.3f%n", stats[0].median(), stats[0].median() / prep,
          stats[1].median(), stats[1].median() / prep, prep);
    }
  }
}
