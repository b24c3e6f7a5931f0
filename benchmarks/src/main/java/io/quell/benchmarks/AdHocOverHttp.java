package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

  @FunctionalInterface
  private interface Side {
    void run(int i) throws SQLException;
  }

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
      Side[] sides = {
          i -> adHoc(c, AdHocStatements.TEXT + "5"),
          i -> adHoc(c, AdHocStatements.TEXT + (i % 25)),
          i -> {
            prepared.setInt(1, i % 25);
            drain(prepared.executeQuery());
          }};
      Stats[] stats = new Stats[sides.length];
      for (int s = 0; s < sides.length; s++) {
        stats[s] = new Stats();
        long end = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < end) {
          batch(sides[s], 50);
        }
      }
      for (int b = 0; b < batches; b++) {
        for (int k = 0; k < sides.length; k++) {
          int s = (b + k) % sides.length;
          stats[s].add(batch(sides[s], 50));
        }
      }
      double prep = stats[2].median();
      System.out.printf("8f over HTTP, median ms/stmt: same text %.3f (%.2fx), varying literal"
          + " %.3f (%.2fx), prepared %.3f%n", stats[0].median(), stats[0].median() / prep,
          stats[1].median(), stats[1].median() / prep, prep);
    }
  }

  private static double batch(Side side, int n) throws SQLException {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      side.run(i);
    }
    return (System.nanoTime() - start) / 1e6 / n;
  }

  private static void adHoc(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      drain(s.executeQuery(sql));
    }
  }

  private static void drain(ResultSet rs) throws SQLException {
    try (rs) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }
}
