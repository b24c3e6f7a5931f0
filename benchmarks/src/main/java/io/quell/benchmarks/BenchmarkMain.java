package io.quell.benchmarks;

import io.quell.benchmarks.TpchQueries.Query;
import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints one table of side-by-side figures (issue #5). Each figure is measured against its
 * baseline in this same JVM run. PostgreSQL rows need {@code --pg-url} (benchmarks/run.sh
 * installs and starts a local PostgreSQL and passes it).
 */
public final class BenchmarkMain {
  private static final String PASSWORD = "bench";
  /** Interleaved Q1 runs per side for figure 1d. */
  private static final int CHECK_RUNS = 15;
  /** Half the history a node keeps at most, so that none is dropped while measured. */
  private static final int CLOSED_SESSIONS = 5_000;

  private BenchmarkMain() {
  }

  public static void main(String[] args) throws Exception {
    String pgUrl = option(args, "--pg-url", null);
    int runs = Integer.parseInt(option(args, "--runs", "200"));
    double scale = Double.parseDouble(option(args, "--scale", "0.1"));
    List<Integer> scales = List.of(option(args, "--sessions", "100,1000,10000").split(","))
        .stream().map(Integer::parseInt).toList();
    Set<String> only = figures(option(args, "--only", "1,2,3,4,5,6,7,8,9,10,11,12"));
    int adHocBatches = Integer.parseInt(option(args, "--ad-hoc-batches", "20"));
    int adHocSessions = Integer.parseInt(option(args, "--ad-hoc-sessions", "500"));
    Path dir = Files.createTempDirectory("quell-bench");
    Report report = new Report();
    try (QuellServer server = QuellServer.start(config(dir.resolve("s"), 0.01), "127.0.0.1", 0,
        Serialization.PROTOBUF, null)) {
      String http = "jdbc:quell://127.0.0.1:" + server.port() + "?user=root&password=" + PASSWORD;
      progress("1 cancel anywhere");
      if (only.contains("1")) {
        cancelAnywhere(report, dir, pgUrl, scale, runs);
      }
      progress("2 tracking overhead");
      if (only.contains("2")) {
        overhead(report, server);
      }
      progress("3 parser");
      if (only.contains("3")) {
        parser(report);
      }
      progress("4 session scale");
      if (only.contains("4")) {
        scale(report, server, scales);
        closedHistory(report, dir);
      }
      progress("5 cancel churn");
      if (only.contains("5")) {
        churn(report, http, server.engine());
      }
      progress("6 cluster show");
      if (only.contains("6")) {
        cluster(report);
      }
      progress("7 embedded against plain Calcite");
      if (only.contains("7")) {
        embedded(report, dir.resolve("embedded"));
      }
      progress("8 ad-hoc statements and the plan cache");
      if (only.contains("8")) {
        adHoc(report, dir.resolve("ad-hoc"), adHocBatches);
        if (adHocSessions > 0) {
          adHocLoad(report, http, server.engine(), adHocSessions);
        }
      }
      progress("12 statement statistics");
      if (only.contains("12")) {
        statistics(report, dir.resolve("statistics"), adHocBatches);
      }
      progress("9 memory accounting");
      if (only.contains("9")) {
        memory(report, dir.resolve("memory"));
      }
      progress("10 admission control");
      if (only.contains("10")) {
        admission(report, dir.resolve("admission"));
      }
      progress("11 PostgreSQL clients over pgwire");
      if (only.contains("11")) {
        // lineitem must hold the 100,000 rows of 11b; figure 1 loaded PostgreSQL at --scale
        double pgScale = Math.max(scale, 0.02);
        PgWireFigures.measure(report, dir.resolve("pgwire"), PASSWORD, pgUrl, pgScale, runs,
            only.contains("1") && pgScale == scale);
      }
    }
    System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    report.print(System.out);
  }

  /**
   * Figure 1 on its own engines at {@code scale} (the others run at 0.01): PostgreSQL gets the
   * rows Quell's sample schema generates, then each system is cancelled anywhere.
   */
  private static void cancelAnywhere(Report report, Path dir, String pgUrl, double scale,
      int runs) throws Exception {
    List<Query> queries = TpchQueries.ALL;
    Map<String, Integer> pgRows = new HashMap<>();
    CancelAnywhere.Result pg = null;
    if (pgUrl != null) {
      try (Connection v = DriverManager.getConnection(pgUrl);
           Connection c = DriverManager.getConnection(pgUrl)) {
        progress("1 loading TPC-H at scale " + scale + " into PostgreSQL");
        long rows = TpchLoader.load(v, scale);
        progress("1 loaded " + rows + " rows; PostgreSQL, typical durations and cancels");
        Map<String, Double> typical = CancelAnywhere.typicalMillis(v, queries, pgRows);
        pg = CancelAnywhere.measure(v, CancelAnywhere.postgres(v, c, false), queries, typical, runs);
      }
    }
    Map<String, Integer> quellRows = new HashMap<>();
    CancelAnywhere.Result embedded;
    CancelAnywhere.Result http;
    CancelAnywhere.Result statementCancel;
    Stats[] checks;
    try (QuellServer server = QuellServer.start(config(dir.resolve("s1"), scale), "127.0.0.1", 0,
        Serialization.PROTOBUF, null);
         QuellNode engine = QuellNode.start(config(dir.resolve("e1"), scale))) {
      Properties props = new Properties();
      try (Connection v = engine.connect(QuellEngine.DEFAULT_USER, props);
           Connection c = engine.connect(QuellEngine.DEFAULT_USER, props)) {
        progress("1 Quell embedded, typical durations and cancels");
        Map<String, Double> typical = CancelAnywhere.typicalMillis(v, queries, quellRows);
        embedded = CancelAnywhere.measure(v, CancelAnywhere.quell(v, c, false), queries,
            typical, runs);
      }
      String url = "jdbc:quell://127.0.0.1:" + server.port() + "?user=root&password=" + PASSWORD;
      try (Connection v = DriverManager.getConnection(url);
           Connection c = DriverManager.getConnection(url)) {
        progress("1 Quell over HTTP, typical durations and cancels");
        Map<String, Double> typical = CancelAnywhere.typicalMillis(v, queries, quellRows);
        http = CancelAnywhere.measure(v, CancelAnywhere.quell(v, c, false), queries, typical,
            runs);
        progress("1 Quell over HTTP, Statement.cancel()");
        statementCancel = CancelAnywhere.measure(v, CancelAnywhere.quell(v, c, true), queries,
            typical, runs);
      }
      progress("1 cancel checks on TPC-H Q1");
      checks = CheckOverhead.q1(engine, scale, CHECK_RUNS);
    }
    String target = "p99 <= 10 ms and <= PostgreSQL, max <= 100 ms";
    String pgText = pg == null ? "not run (no --pg-url)"
        : "pg_cancel_backend " + pg.all().summary();
    Stats pgAll = pg == null ? new Stats() : pg.all();
    report.add("1a cancel anywhere, CANCEL QUERY, embedded", embedded.all().summary(), pgText,
        p99Ratio(embedded.all(), pgAll), target);
    report.add("1b cancel anywhere, CANCEL QUERY, HTTP", http.all().summary(), pgText,
        p99Ratio(http.all(), pgAll), target);
    report.add("1c cancel anywhere, Statement.cancel(), HTTP", statementCancel.all().summary(),
        pgText, p99Ratio(statementCancel.all(), pgAll), target);
    for (Query q : queries) {
      String name = q.name();
      String typical = fmt(embedded.typicalMillis().get(name)) + " / "
          + fmt(http.typicalMillis().get(name)) + " / "
          + (pg == null ? "-" : fmt(pg.typicalMillis().get(name)));
      String rowCheck = pg == null || pgRows.get(name).equals(quellRows.get(name)) ? ""
          : ", ROWS DIFFER: " + quellRows.get(name) + " vs " + pgRows.get(name);
      Stats pgQuery = pg == null ? new Stats() : pg.byQuery().get(name);
      report.add("1 " + name + ", p99/max ms (typical " + typical + " ms" + rowCheck + ")",
          "emb " + embedded.byQuery().get(name).tail() + "; HTTP "
              + http.byQuery().get(name).tail() + "; cancel() "
              + statementCancel.byQuery().get(name).tail(),
          pg == null ? "" : pgQuery.tail(),
          p99Ratio(embedded.byQuery().get(name), pgQuery) + " / "
              + p99Ratio(http.byQuery().get(name), pgQuery), "");
    }
    report.add("1d cancel checks on TPC-H Q1, Quell embedded (median CPU ms)",
        fmt(checks[0].median()), "checks off: " + fmt(checks[1].median())
            + " (plain Calcite, CheckOverhead.checksOff)",
        ratio(checks[0].median(), checks[1].median()), "<= 1.03");
  }

  private static EngineConfig config(Path dataDir, double scale) {
    return EngineConfig.builder().dataDir(dataDir).scaleFactor(scale).rootPassword(PASSWORD)
        .build();
  }

  private static String p99Ratio(Stats quell, Stats baseline) {
    return ratio(quell.percentile(99), baseline.percentile(99));
  }

  private static void overhead(Report report, QuellServer quell) throws Exception {
    HttpServer plain = new HttpServer.Builder<>()
        .withHandler(new LocalService(new JdbcMeta(PlainCalcite.URL,
            PlainCalcite.properties(0.01))),
            Serialization.PROTOBUF)
        .withPort(0).build();
    plain.start();
    try (Connection q = DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:"
        + quell.port() + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;"
        + "avatica_password=" + PASSWORD);
         Connection p = DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:"
             + plain.getPort() + ";serialization=PROTOBUF")) {
      Stats[] simple = TrackingOverhead.compare(q, p, TrackingOverhead.SIMPLE, 20, 40, 100);
      report.add("2a round trip SELECT 1 (median ms/stmt)", fmt(simple[0].median()),
          "plain Avatica+Calcite " + fmt(simple[1].median()),
          ratio(simple[0].median(), simple[1].median()), "<= 1.05");
      Stats[] fetch = TrackingOverhead.compare(q, p, TrackingOverhead.FETCH_10K, 10, 20, 5);
      report.add("2b 10k-row fetch (median ms/stmt)", fmt(fetch[0].median()),
          "plain Avatica+Calcite " + fmt(fetch[1].median()),
          ratio(fetch[0].median(), fetch[1].median()), "<= 1.05");
    } finally {
      plain.stop();
    }
  }

  private static void parser(Report report) throws Exception {
    ParserThroughput.rate(ParserThroughput.quell(), ParserThroughput.STANDARD, 2000);
    ParserThroughput.rate(ParserThroughput.stock(), ParserThroughput.STANDARD, 2000);
    double quell = 0;
    double stock = 0;
    for (int i = 0; i < 3; i++) {
      quell += ParserThroughput.rate(ParserThroughput.quell(), ParserThroughput.STANDARD, 1000);
      stock += ParserThroughput.rate(ParserThroughput.stock(), ParserThroughput.STANDARD, 1000);
    }
    report.add("3a parser, standard SQL (stmts/s)", fmt(quell / 3), "Calcite stock " + fmt(stock / 3),
        ratio(quell, stock), ">= 0.95");
    double session = ParserThroughput.rate(ParserThroughput.quell(),
        ParserThroughput.SESSION_CONTROL, 2000);
    report.add("3b parser, session-control statements (stmts/s)", fmt(session), "n/a (stock "
        + "cannot parse them)", "", "");
  }

  private static void scale(Report report, QuellServer server, List<Integer> sizes)
      throws Exception {
    String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port()
        + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;avatica_password="
        + PASSWORD;
    try (Connection viewer = DriverManager.getConnection(url)) {
      SessionScale.Result base = null;
      for (int n : sizes) {
        SessionScale.Result r = SessionScale.measure(url, n, viewer);
        if (base == null) {
          base = r;
        }
        report.add("4 " + n + " idle sessions: SHOW SESSIONS server / all rows to client"
                + " / heap per session",
            fmt(r.serverMillis()) + " ms / " + fmt(r.showMillis()) + " ms / "
                + Math.round(r.bytesPerSession() / 1024) + " KB",
            "at " + base.sessions() + ": " + fmt(base.serverMillis()) + " / "
                + fmt(base.showMillis()) + " ms",
            ratio(r.serverMillis(), base.serverMillis()) + " / "
                + ratio(r.showMillis(), base.showMillis()) + " for x" + n / base.sessions(),
            "<= 50 ms at 10k, <= 64 KB");
      }
    }
  }

  private static void closedHistory(Report report, Path dir) throws Exception {
    ClosedSessionMemory.Result r = ClosedSessionMemory.measure(config(dir.resolve("closed"),
        0.01), PASSWORD, CLOSED_SESSIONS);
    report.add("4c " + r.sessions() + " closed sessions kept as history: heap per session",
        Math.round(r.closedBytesPerSession()) + " B",
        "the same sessions open and idle: " + Math.round(r.openBytesPerSession() / 1024) + " KB",
        ratio(r.closedBytesPerSession(), r.openBytesPerSession()), "<= 4 KB");
  }

  private static void churn(Report report, String http, QuellEngine engine) throws Exception {
    CancelChurn.Result r = CancelChurn.run(http, engine, 8, 2, 10_000);
    report.add("5 churn: 8 clients, 2 cancellers, 10 s", fmt(r.statementsPerSecond())
        + " stmts/s, " + r.completed() + " done, " + r.cancelled() + " cancelled, "
        + r.unexpected() + " other errors", "", "", "leftover sessions " + r.leftoverSessions()
        + ", queries " + r.leftoverQueries() + " (must be 0)");
  }

  private static void embedded(Report report, Path dir) throws Exception {
    EmbeddedOverhead.Result r = EmbeddedOverhead.measure(dir, PASSWORD);
    String baseline = "plain Calcite (jdbc:calcite:, same schema factory) ";
    report.add("7a embedded SELECT 1 (median ms/stmt)", fmt(r.simple()[0].median()),
        baseline + fmt(r.simple()[1].median()),
        ratio(r.simple()[0].median(), r.simple()[1].median()), "<= 1.5");
    report.add("7b embedded " + r.fetchRows() + "-row fetch (median ms/stmt)",
        fmt(r.fetch()[0].median()), baseline + fmt(r.fetch()[1].median()),
        ratio(r.fetch()[0].median(), r.fetch()[1].median()), "<= 1.10");
    report.add("7c embedded TPC-H Q1 at scale " + EmbeddedOverhead.SCALE + " (median ms/stmt)",
        fmt(r.q1()[0].median()), baseline + fmt(r.q1()[1].median()),
        ratio(r.q1()[0].median(), r.q1()[1].median()), "<= 1.05");
  }

  private static void memory(Report report, Path dir) throws Exception {
    MemoryOverhead.Result r = MemoryOverhead.measure(dir, PASSWORD, 12, 40);
    char letter = 'a';
    for (Map.Entry<String, Stats[]> e : r.cpu().entrySet()) {
      Stats[] s = e.getValue();
      report.add("9" + letter++ + " " + e.getKey() + " at scale " + MemoryOverhead.SCALE
          + ", memory accounting on (median CPU ms)", fmt(s[0].median()),
          "accounting off " + fmt(s[1].median()), ratio(s[0].median(), s[1].median()),
          "<= 1.03");
    }
    report.add("9" + letter++ + " a sort past max_query_memory 16MB: refused reservation to "
        + "the client's 53200, p50 / p99 (ms)", fmt(r.stop().median()) + " / "
        + fmt(r.stop().percentile(99)), "", "", "p99 <= 100 ms");
    report.add("9" + letter++ + " a probe session's SELECT 1 meanwhile, p99 (ms)",
        fmt(r.probeBusy().percentile(99)), "idle " + fmt(r.probeIdle().percentile(99)),
        p99Ratio(r.probeBusy(), r.probeIdle()), "");
    for (Map.Entry<String, Double> e : r.estimateOverRetained().entrySet()) {
      report.add("9" + letter++ + " accounted estimate of " + e.getKey() + " rows over their "
          + "size by JOL", String.format(java.util.Locale.ROOT, "%.2f", e.getValue()), "", "",
          "0.8 - 1.5");
    }
  }

  private static void adHoc(Report report, Path dir, int batches) throws Exception {
    AdHocStatements.Result r = AdHocStatements.measure(dir, PASSWORD, batches, 50);
    double prepared = r.prepared().median();
    String baseline = "prepared once, executed " + fmt(prepared);
    report.add("8a ad-hoc statement, same text, embedded (median ms/stmt)",
        fmt(r.sameText().median()), baseline, ratio(r.sameText().median(), prepared), "<= 2");
    report.add("8b ad-hoc statement, varying literal, embedded (median ms/stmt)",
        fmt(r.varyingLiterals().median()), baseline,
        ratio(r.varyingLiterals().median(), prepared), "<= 2");
    report.add("8c the same, plan_cache off (median ms/stmt)", fmt(r.uncached().median()),
        baseline, ratio(r.uncached().median(), prepared), "");
    report.add("8d SHOW SESSIONS at " + AdHocStatements.SESSIONS + " sessions (median ms)",
        fmt(r.show().median()), "plan_cache off " + fmt(r.showUncached().median()),
        ratio(r.show().median(), r.showUncached().median()), "<= 2 ms");
  }

  private static void statistics(Report report, Path dir, int batches) throws Exception {
    StatisticsOverhead.Result r = StatisticsOverhead.measure(dir, PASSWORD, batches, 500);
    report.add("12 ad-hoc statement, varying literal, embedded, statement statistics on "
            + "(median ms/stmt)", fmt(r.on().median()), "statistics off " + fmt(r.off().median()),
        ratio(r.on().median(), r.off().median()), "<= 1.02");
  }

  private static void adHocLoad(Report report, String http, QuellEngine engine, int sessions)
      throws Exception {
    long roundMillis = 10_000;
    AdHocLoad.Result r = AdHocLoad.run(http, engine, sessions, 3, roundMillis);
    report.add("8e " + sessions + " sessions over HTTP, ad-hoc statements, a quarter in "
        + "pg_sleep(0.5), after " + AdHocLoad.WARM_UP_PAIRS * 2 * roundMillis / 1000
        + " s of it (stmts/s; " + r.errors() + " errors, "
        + r.leftoverSessions() + " sessions left)",
        fmt(r.cachedPerSecond()), "plan_cache off " + fmt(r.uncachedPerSecond()),
        ratio(r.cachedPerSecond(), r.uncachedPerSecond()), ">= 10");
    report.add("8e the same, its first " + 2 * roundMillis / 1000
        + " s, JIT still compiling (stmts/s)",
        fmt(r.coldCachedPerSecond()), "plan_cache off " + fmt(r.coldUncachedPerSecond()),
        ratio(r.coldCachedPerSecond(), r.coldUncachedPerSecond()), "");
  }

  private static void cluster(Report report) throws Exception {
    ClusterShow.Result r = ClusterShow.measure(3, 1000, PASSWORD);
    report.add("6 cluster SHOW SESSIONS, 3 nodes x 1,000 sessions (" + r.rows() + " rows)",
        fmt(r.clusterMillis()) + " ms", "LOCAL on node 1: " + fmt(r.localMillis()) + " ms",
        ratio(r.clusterMillis(), r.localMillis()), "");
    Stats cross = r.cancel().crossMember();
    Stats same = r.cancel().sameMember();
    report.add("6b CANCEL QUERY on member 1 of a query on member 2, to its 57014, p50 / p99 "
            + "(n=" + cross.count() + ")",
        fmt(cross.median()) + " / " + fmt(cross.percentile(99)) + " ms",
        "sent on member 2: " + fmt(same.median()) + " / " + fmt(same.percentile(99)) + " ms",
        ratio(cross.median(), same.median()) + " / "
            + ratio(cross.percentile(99), same.percentile(99)), "");
  }

  static void progress(String section) {
    System.err.println("[bench] " + java.time.LocalTime.now().withNano(0) + " " + section);
  }

  static String ratio(double quell, double baseline) {
    return Double.isNaN(quell) || Double.isNaN(baseline) || baseline == 0 ? ""
        : String.format("%.2f", quell / baseline);
  }

  static String fmt(double v) {
    return String.format(v >= 100 ? "%.0f" : "%.2f", v);
  }

  /**
   * The figures {@code --only} names: numbers separated by commas, or, as before figure 10, a
   * run of single digits ({@code 129} is figures 1, 2 and 9); {@code 10}, {@code 11} and
   * {@code 12} alone are those figures.
   */
  private static Set<String> figures(String only) {
    if (only.contains(",") || Set.of("10", "11", "12").contains(only)) {
      return Set.of(only.split(","));
    }
    return only.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.toSet());
  }

  private static void admission(Report report, Path dir) throws Exception {
    int sessions = 100;
    AdmissionLoad.Result r = AdmissionLoad.measure(dir, PASSWORD, sessions, 2, 2);
    AdmissionLoad.Side on = r.limited();
    AdmissionLoad.Side off = r.unlimited();
    String load = sessions + " sessions over HTTP, TPC-H Q1/Q3/Q6/Q18 at scale "
        + AdmissionLoad.SCALE + ", max_running_queries " + r.limit();
    report.add("10a " + load + " (queries/s; errors " + on.errors() + " / " + off.errors() + ")",
        fmt(on.queriesPerSecond()), "no limit " + fmt(off.queriesPerSecond()),
        ratio(on.queriesPerSecond(), off.queriesPerSecond()), "report");
    report.add("10b the same, p50 latency with queueing (ms)", fmt(on.latency().median()),
        "no limit " + fmt(off.latency().median()),
        ratio(on.latency().median(), off.latency().median()), "report");
    report.add("10c the same, p99 latency with queueing (ms)",
        fmt(on.latency().percentile(99)), "no limit " + fmt(off.latency().percentile(99)),
        ratio(on.latency().percentile(99), off.latency().percentile(99)), "report");
    report.add("10d the same, peak heap used, sampled every 10 ms (MB)",
        fmt(on.peakHeapBytes() / 1e6), "no limit " + fmt(off.peakHeapBytes() / 1e6),
        ratio(on.peakHeapBytes(), off.peakHeapBytes()), "report");
    report.add("10e the same, peak SQL memory accounted (MB)", fmt(on.peakSqlBytes() / 1e6),
        "no limit " + fmt(off.peakSqlBytes() / 1e6), ratio(on.peakSqlBytes(), off.peakSqlBytes()),
        "report");
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
