package io.quell.benchmarks;

import io.quell.engine.QuellEngine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 8e (issue #19): many sessions over HTTP sending ad-hoc statements, as a BI server's
 * dashboards do, a quarter of them waiting in {@code pg_sleep(0.5)}; statements per second with
 * the plan cache, against the same load with {@code plan_cache} off. The sides alternate in
 * rounds on the same sessions, so drift hits both alike. Errors and sessions left behind count
 * against it.
 *
 * <p>The measured rounds follow {@link #WARM_UP_PAIRS} pairs of warm-up rounds of the same
 * alternation (two minutes of 10 s rounds): with 500 busy sessions (a thousand threads, client and
 * server in one JVM) on 2 cores the JIT's compiler threads get a thousandth of the CPU each, and
 * for the first minute of such a load 600 to 850 methods waited to be compiled ({@code jcmd
 * Compiler.queue}), so a cached statement cost 2.5 times the CPU it costs once compiled. The JIT
 * never quite settles (each uncached statement generates and loads classes of its own), so the
 * warm-up is a fixed time. A server serves for hours; its throughput is the warm one. The first
 * pair of rounds, from cold, is reported too.
 */
final class AdHocLoad {
  /** Pairs of rounds before the measured ones; the first of them is the cold figure. */
  static final int WARM_UP_PAIRS = 6;

  record Result(double cachedPerSecond, double uncachedPerSecond, double coldCachedPerSecond,
      double coldUncachedPerSecond, long errors, int leftoverSessions) {
  }

  /** One round as the main thread announces it to the sessions. */
  private record Round(boolean cached, boolean stop) {
  }

  private final long roundMillis;
  /** Each round: the sessions read it, switch the cache, run its statements, and are done. */
  private final CyclicBarrier announced;
  private final CyclicBarrier switched;
  private final CyclicBarrier ended;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile Round round;
  private volatile long deadline;

  private AdHocLoad(int sessions, long roundMillis) {
    this.roundMillis = roundMillis;
    this.announced = new CyclicBarrier(sessions + 1);
    // the last session to have switched the cache starts the round's clock
    this.switched = new CyclicBarrier(sessions + 1,
        () -> deadline = System.nanoTime() + roundMillis * 1_000_000);
    this.ended = new CyclicBarrier(sessions + 1);
  }

  static Result run(String url, QuellEngine engine, int sessions, int rounds, long roundMillis)
      throws Exception {
    int before = engine.registry().sessions().size();
    AdHocLoad load = new AdHocLoad(sessions, roundMillis);
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < sessions; w++) {
      boolean sleeper = w % 4 == 0;
      workers.add(pool.submit(() -> load.session(url, sleeper)));
    }
    double coldCached = load.round(true);
    double coldUncached = load.round(false);
    for (int pair = 2; pair <= WARM_UP_PAIRS; pair++) {
      System.err.printf("[bench] 8e warm-up pair %d of %d: %.0f and %.0f stmts/s%n", pair,
          WARM_UP_PAIRS, load.round(true), load.round(false));
    }
    double cached = 0;
    double uncached = 0;
    for (int r = 0; r < rounds; r++) {
      cached += load.round(true) / rounds;
      uncached += load.round(false) / rounds;
    }
    load.announce(new Round(false, true));
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();
    Thread.sleep(500);
    return new Result(cached, uncached, coldCached, coldUncached, load.errors.get(),
        engine.registry().sessions().size() - before);
  }

  /**
   * Runs one round on every session: its statements per second, counting those started before
   * the deadline.
   */
  private double round(boolean cached) throws Exception {
    announce(new Round(cached, false));
    long start = done.get();
    switched.await();
    ended.await();
    return (done.get() - start) / (roundMillis / 1000.0);
  }

  private void announce(Round next) throws Exception {
    round = next;
    announced.await();
  }

  private Void session(String url, boolean sleeper) throws Exception {
    try (Connection c = DriverManager.getConnection(url + "&applicationName=ad-hoc-load");
         Statement s = c.createStatement()) {
      while (true) {
        announced.await();
        Round current = round;
        if (current.stop()) {
          return null;
        }
        s.execute(current.cached() ? "SET plan_cache = on" : "SET plan_cache = off");
        switched.await();
        while (System.nanoTime() < deadline) {
          int literal = ThreadLocalRandom.current().nextInt(25);
          String sql = sleeper ? "SELECT pg_sleep(0.5), " + literal
              : AdHocStatements.TEXT + literal;
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              rs.getObject(1);
            }
            done.incrementAndGet();
          } catch (SQLException e) {
            errors.incrementAndGet();
          }
        }
        ended.await();
      }
    }
  }
}
