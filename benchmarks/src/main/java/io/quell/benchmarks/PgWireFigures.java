package io.quell.benchmarks;

import io.quell.benchmarks.TpchQueries.Query;
import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 11, PostgreSQL clients: pgjdbc against Quell's pgwire listener, beside the same work
 * over {@code jdbc:quell://} and pgjdbc against a real PostgreSQL holding the same TPC-H rows,
 * in one run. 11a is a prepared {@code SELECT 1} round trip, 11b reading 100,000 rows of
 * {@code lineitem}, the three sides alternating batch by batch; 11c is figure 1's cancel
 * anywhere through PostgreSQL's own CancelRequest (pgjdbc's {@code Statement.cancel()}) on
 * Quell and on PostgreSQL.
 */
final class PgWireFigures {
  static final String FETCH = "SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber, "
      + "l_quantity, l_extendedprice, l_discount, l_shipdate, l_comment FROM lineitem "
      + "LIMIT 100000";
  private static final int ROUND_TRIP_BATCHES = 30;
  private static final int ROUND_TRIPS_PER_BATCH = 200;
  private static final int FETCH_BATCHES = 8;

  /** One way of running the work, timed in ms per unit. */
  @FunctionalInterface
  private interface Side {
    void run() throws SQLException;
  }

  private PgWireFigures() {
  }

  /**
   * Measures on a node of its own at {@code scale} (lineitem must hold 100,000 rows: scale
   * 0.02 or more); {@code pgUrl} null leaves out the PostgreSQL sides. PostgreSQL gets the
   * node's rows unless it holds them already (figure 1 loads the same scale).
   */
  static void measure(Report report, Path dir, String password, String pgUrl, double scale,
      int runs, boolean pgLoaded) throws Exception {
    EngineConfig config = EngineConfig.builder().dataDir(dir).scaleFactor(scale)
        .rootPassword(password).build();
    try (QuellServer server = QuellServer.builder(config).host("127.0.0.1").port(0).pgPort(0)
        .start()) {
      String wire = "jdbc:postgresql://127.0.0.1:" + server.pgPort().orElseThrow() + "/quell?user=root"
          + "&password=" + password;
      String http = "jdbc:quell://127.0.0.1:" + server.port() + "?user=root&password="
          + password;
      try (Connection quellWire = DriverManager.getConnection(wire);
           Connection quellHttp = DriverManager.getConnection(http);
           Connection pg = pgUrl == null ? null : DriverManager.getConnection(pgUrl)) {
        if (pg != null && !pgLoaded) {
          BenchmarkMain.progress("11 loading TPC-H at scale " + scale + " into PostgreSQL");
          TpchLoader.load(pg, scale);
        }
        BenchmarkMain.progress("11a SELECT 1 round trips");
        Stats[] trips = alternate(ROUND_TRIP_BATCHES, ROUND_TRIPS_PER_BATCH,
            roundTrip(quellWire), roundTrip(quellHttp), pg == null ? null : roundTrip(pg));
        report(report, "11a SELECT 1 round trip, pgwire (pgjdbc), median ms", trips);
        BenchmarkMain.progress("11b 100k-row fetch");
        Stats[] fetches = alternate(FETCH_BATCHES, 1, fetch(quellWire), fetch(quellHttp),
            pg == null ? null : fetch(pg));
        report(report, "11b 100k-row fetch, pgwire (pgjdbc), median ms", fetches);
      }
      cancel(report, server, wire, pgUrl, runs);
    }
  }

  /** 11c: figure 1's victims cancelled by pgjdbc's CancelRequest, Quell and PostgreSQL. */
  private static void cancel(Report report, QuellServer server, String wire, String pgUrl,
      int runs) throws Exception {
    List<Query> queries = TpchQueries.ALL;
    Map<String, Integer> rows = new HashMap<>();
    CancelAnywhere.Result quell;
    try (Connection victim = DriverManager.getConnection(wire);
         Connection canceller = DriverManager.getConnection(wire)) {
      BenchmarkMain.progress("11c Quell over pgwire, typical durations and CancelRequests");
      Map<String, Double> typical = CancelAnywhere.typicalMillis(victim, queries, rows);
      quell = CancelAnywhere.measure(victim, CancelAnywhere.quell(victim, canceller, true),
          queries, typical, runs);
    }
    CancelAnywhere.Result pg = null;
    if (pgUrl != null) {
      try (Connection victim = DriverManager.getConnection(pgUrl);
           Connection canceller = DriverManager.getConnection(pgUrl)) {
        BenchmarkMain.progress("11c PostgreSQL, typical durations and CancelRequests");
        Map<String, Double> typical = CancelAnywhere.typicalMillis(victim, queries,
            new HashMap<>());
        pg = CancelAnywhere.measure(victim, CancelAnywhere.postgres(victim, canceller, true),
            queries, typical, runs);
      }
    }
    report.add("11c cancel anywhere, CancelRequest (pgjdbc Statement.cancel()), pgwire",
        quell.all().summary(),
        pg == null ? "not run (no --pg-url)" : "PostgreSQL CancelRequest " + pg.all().summary(),
        pg == null ? "" : BenchmarkMain.ratio(quell.all().percentile(99),
            pg.all().percentile(99)),
        "p99 <= 10 ms and <= PostgreSQL, max <= 100 ms");
  }

  private static void report(Report report, String figure, Stats[] sides) {
    String pg = sides[2] == null ? "not run (no --pg-url)"
        : "PostgreSQL " + BenchmarkMain.fmt(sides[2].median());
    report.add(figure, BenchmarkMain.fmt(sides[0].median()),
        "jdbc:quell:// " + BenchmarkMain.fmt(sides[1].median()) + "; " + pg,
        BenchmarkMain.ratio(sides[0].median(), sides[1].median()) + " of jdbc:quell://"
            + (sides[2] == null ? ""
                : ", " + BenchmarkMain.ratio(sides[0].median(), sides[2].median())
                    + " of PostgreSQL"), "");
  }

  private static Side roundTrip(Connection c) throws SQLException {
    PreparedStatement select = c.prepareStatement("SELECT 1");
    return () -> {
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        rs.getInt(1);
      }
    };
  }

  private static Side fetch(Connection c) {
    return () -> {
      int read = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(FETCH)) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            rs.getString(i);
          }
          read++;
        }
      }
      if (read != 100_000) {
        throw new IllegalStateException("the fetch read " + read + " rows, not 100,000: "
            + "figure 11 needs lineitem at scale 0.02 or more");
      }
    };
  }

  /**
   * Runs the sides in turn, {@code perBatch} units each per batch after a first batch that
   * is not counted (warm-up); each batch adds its mean per unit. A null side is skipped.
   */
  private static Stats[] alternate(int batches, int perBatch, Side... sides)
      throws SQLException {
    Stats[] stats = new Stats[sides.length];
    for (int i = 0; i < sides.length; i++) {
      stats[i] = sides[i] == null ? null : new Stats();
    }
    for (int batch = -1; batch < batches; batch++) {
      for (int i = 0; i < sides.length; i++) {
        if (sides[i] == null) {
          continue;
        }
        long start = System.nanoTime();
        for (int n = 0; n < perBatch; n++) {
          sides[i].run();
        }
        if (batch >= 0) {
          stats[i].add((System.nanoTime() - start) / 1e6 / perBatch);
        }
      }
    }
    return stats;
  }
}
