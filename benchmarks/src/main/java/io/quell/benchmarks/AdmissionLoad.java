package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 10 (issue #28): 100 dashboard sessions over HTTP, as a non-admin user, each running a
 * TPC-H mix (Q1, Q3, Q6, Q18 in turn) at once, with {@code max_running_queries} = the cores
 * against no limit. The two sides alternate in rounds on the same server and sessions (ALTER
 * SYSTEM switches the limit between rounds), so drift hits both alike: throughput (queries per
 * second of the round's wall time), latency as the client sees it (queueing included) and the
 * peak of the heap in use and of the SQL memory accounted, sampled every 10 ms.
 */
final class AdmissionLoad {
  static final double SCALE = 0.02;
  private static final String USER = "dash";
  private static final String USER_PASSWORD = "dash-pw";
  private static final List<String> MIX = TpchQueries.ALL.stream()
      .filter(q -> List.of("TPC-H Q1", "TPC-H Q3", "TPC-H Q6", "TPC-H Q18").contains(q.name()))
      .map(TpchQueries.Query::sql).toList();

  /** One side's rounds together. */
  record Side(double queriesPerSecond, Stats latency, long peakHeapBytes, long peakSqlBytes,
      long errors) {
  }

  record Result(int limit, Side limited, Side unlimited) {
  }

  private AdmissionLoad() {
  }

  static Result measure(Path dir, String password, int sessions, int queriesPerSession,
      int pairs) throws Exception {
    int limit = Runtime.getRuntime().availableProcessors();
    EngineConfig config = EngineConfig.builder().dataDir(dir).scaleFactor(SCALE)
        .rootPassword(password).admission(-1, 10 * sessions).build();
    ExecutorService pool = Executors.newFixedThreadPool(sessions + 1);
    try (QuellServer server = QuellServer.start(config, "127.0.0.1", 0, Serialization.PROTOBUF,
        null)) {
      String url = "jdbc:quell://127.0.0.1:" + server.port();
      List<Connection> connections = new ArrayList<>();
      try (Connection root = DriverManager.getConnection(url + "?user=root&password=" + password);
           Statement admin = root.createStatement()) {
        admin.execute("CREATE USER " + USER + " WITH PASSWORD '" + USER_PASSWORD + "'");
        for (int i = 0; i < sessions; i++) {
          connections.add(DriverManager.getConnection(url + "?user=" + USER + "&password="
              + USER_PASSWORD + "&applicationName=dashboard-" + i));
        }
        Accumulator limited = new Accumulator();
        Accumulator unlimited = new Accumulator();
        for (int pair = 0; pair <= pairs; pair++) {
          // pair 0 warms the JIT up on both sides and is not counted
          boolean counted = pair > 0;
          admin.execute("ALTER SYSTEM SET max_running_queries = " + limit);
          round(server, connections, queriesPerSession, pool, counted ? limited : null);
          admin.execute("ALTER SYSTEM SET max_running_queries = -1");
          round(server, connections, queriesPerSession, pool, counted ? unlimited : null);
        }
        return new Result(limit, limited.side(), unlimited.side());
      } finally {
        for (Connection c : connections) {
          c.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every session runs its queries at once; the round ends when the last is done. */
  private static void round(QuellServer server, List<Connection> connections,
      int queriesPerSession, ExecutorService pool, Accumulator into) throws Exception {
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong peakHeap = new AtomicLong();
    AtomicLong peakSql = new AtomicLong();
    CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
      while (!done.get()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        peakSql.accumulateAndGet(server.engine().memory().used(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, pool);
    Stats latency = new Stats();
    AtomicLong errors = new AtomicLong();
    List<Callable<Void>> work = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      Connection c = connections.get(i);
      int first = i;
      work.add(() -> {
        try (Statement s = c.createStatement()) {
          for (int q = 0; q < queriesPerSession; q++) {
            long t = System.nanoTime();
            try (ResultSet rs = s.executeQuery(MIX.get((first + q) % MIX.size()))) {
              while (rs.next()) {
                rs.getObject(1);
              }
              double ms = (System.nanoTime() - t) / 1e6;
              synchronized (latency) {
                latency.add(ms);
              }
            } catch (SQLException e) {
              errors.incrementAndGet();
            }
          }
        }
        return null;
      });
    }
    long start = System.nanoTime();
    for (Future<Void> f : pool.invokeAll(work)) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    done.set(true);
    sampler.join();
    if (into != null) {
      into.add(latency, seconds, peakHeap.get(), peakSql.get(), errors.get());
    }
  }

  /** One side's rounds as they come. */
  private static final class Accumulator {
    private final Stats latency = new Stats();
    private long queries;
    private double seconds;
    private long peakHeap;
    private long peakSql;
    private long errors;

    void add(Stats round, double roundSeconds, long heap, long sql, long roundErrors) {
      latency.addAll(round);
      queries += round.count();
      seconds += roundSeconds;
      peakHeap = Math.max(peakHeap, heap);
      peakSql = Math.max(peakSql, sql);
      errors += roundErrors;
    }

    Side side() {
      return new Side(queries / seconds, latency, peakHeap, peakSql, errors);
    }
  }
}
