package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.QuellNode;
import io.quell.memory.SizeEstimate;
import io.quell.sample.TpchSchema;

import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.schema.ScannableTable;
import org.openjdk.jol.info.GraphLayout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Figure 9: what memory accounting costs and how fast it stops a query. The same JVM runs
 * TPC-H Q1, Q3, Q18 and a sort of every line item on two embedded engines over the same rows,
 * one accounting and one not ({@code memoryAccounting(false)}), interleaved
 * ({@link TrackingOverhead#compare}) and timed by the calling thread's CPU (the embedded
 * transport runs the query in it). Then a sort driven past a 16 MB {@code max_query_memory}
 * again and again: the time from the refused reservation to the client's 53200, and the
 * latency of a probe session's {@code SELECT 1} meanwhile, against the probe alone.
 */
final class MemoryOverhead {
  static final double SCALE = 0.05;
  static final String BIG_SORT = "SELECT l_orderkey, l_comment FROM lineitem ORDER BY l_comment";

  /**
   * CPU ms per query (accounting on, off), stop latencies, probe latencies (busy, idle), and
   * per TPC-H table the accounting's estimate of its rows over what JOL finds they retain.
   */
  record Result(Map<String, Stats[]> cpu, Stats stop, Stats probeBusy, Stats probeIdle,
      Map<String, Double> estimateOverRetained) {
  }

  /**
   * For {@code rows} rows of each big TPC-H table as operators hold them (the scan's Object[]
   * rows), {@link SizeEstimate}'s total over the size JOL measures of the rows' object graph.
   */
  static Map<String, Double> estimateOverRetained(int rows) {
    TpchSchema schema = new TpchSchema(SCALE);
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String name : List.of("lineitem", "orders", "customer", "part")) {
      ScannableTable table = (ScannableTable) schema.getTable(name);
      List<Object[]> held = new ArrayList<>();
      long estimate = 0;
      try (Enumerator<Object[]> scan = table.scan(null).enumerator()) {
        while (held.size() < rows && scan.moveNext()) {
          Object[] row = scan.current();
          held.add(row);
          estimate += SizeEstimate.of(row);
        }
      }
      long retained = 0;
      for (Object[] row : held) {
        retained += GraphLayout.parseInstance((Object) row).totalSize();
      }
      ratios.put(name, estimate / (double) retained);
    }
    return ratios;
  }

  private MemoryOverhead() {
  }

  static Result measure(Path dir, String password, int batches, int stops) throws Exception {
    try (QuellNode on = QuellNode.start(EngineConfig.builder().dataDir(dir.resolve("on"))
        .scaleFactor(SCALE).rootPassword(password).build());
         QuellNode off = QuellNode.start(EngineConfig.builder().dataDir(dir.resolve("off"))
             .scaleFactor(SCALE).rootPassword(password).memoryAccounting(false).build());
         Connection accounted = on.connect(QuellEngine.DEFAULT_USER, new Properties());
         Connection bare = off.connect(QuellEngine.DEFAULT_USER, new Properties())) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Stats[]> cpu = new LinkedHashMap<>();
      for (TpchQueries.Query q : TpchQueries.ALL) {
        if (q.name().equals("TPC-H Q1") || q.name().equals("TPC-H Q3")
            || q.name().equals("TPC-H Q18")) {
          cpu.put(q.name(), TrackingOverhead.compare(accounted, bare, q.sql(), 2, batches, 1,
              threads::getCurrentThreadCpuTime));
        }
      }
      cpu.put("sort of lineitem", TrackingOverhead.compare(accounted, bare, BIG_SORT, 2,
          batches, 1, threads::getCurrentThreadCpuTime));

      try (Connection probeConnection = on.connect(QuellEngine.DEFAULT_USER, new Properties());
           Connection victim = on.connect(QuellEngine.DEFAULT_USER, new Properties())) {
        Stats idle = probe(probeConnection, () -> Thread.sleep(3_000));
        try (Statement s = victim.createStatement()) {
          s.execute("SET max_query_memory = '16MB'");
        }
        Stats stop = new Stats();
        Stats busy = probe(probeConnection, () -> {
          for (int i = 0; i < stops; i++) {
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery(BIG_SORT)) {
              rs.next();
              throw new IllegalStateException("the sort was not stopped");
            } catch (SQLException e) {
              long caught = System.nanoTime();
              if (!"53200".equals(e.getSQLState())) {
                throw e;
              }
              stop.add((caught - on.engine().memory().lastRefusalNanos()) / 1e6);
            }
          }
        });
        return new Result(cpu, stop, busy, idle, estimateOverRetained(2_000));
      }
    }
  }

  /** A body that may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Latencies of {@code SELECT 1} on {@code c}, every 5 ms, while {@code work} runs. */
  private static Stats probe(Connection c, Work work) throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    Stats latencies = new Stats();
    CompletableFuture<Void> probing = CompletableFuture.runAsync(() -> {
      try (Statement s = c.createStatement()) {
        while (!done.get()) {
          long t = System.nanoTime();
          try (ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
          }
          latencies.add((System.nanoTime() - t) / 1e6);
          Thread.sleep(5);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      work.run();
    } finally {
      done.set(true);
      probing.join();
    }
    return latencies;
  }
}
