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
 */
final class AdHocLoad {
  record Result(double cachedPerSecond, double uncachedPerSecond, long errors,
      int leftoverSessions) {
  }

  private AdHocLoad() {
  }

  static Result run(String url, QuellEngine engine, int sessions, int rounds, long roundMillis)
      throws Exception {
    int before = engine.registry().sessions().size();
    AtomicLong[] done = {new AtomicLong(), new AtomicLong()};
    AtomicLong errors = new AtomicLong();
    // Each round: everyone switches the cache, waits for the others, then runs its statements.
    CyclicBarrier start = new CyclicBarrier(sessions);
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < sessions; w++) {
      boolean sleeper = w % 4 == 0;
      workers.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url + "&applicationName=ad-hoc-load");
             Statement s = c.createStatement()) {
          for (int round = 0; round < 2 * rounds; round++) {
            int side = round % 2;
            s.execute(side == 0 ? "SET plan_cache = on" : "SET plan_cache = off");
            start.await();
            long end = System.nanoTime() + roundMillis * 1_000_000;
            while (System.nanoTime() < end) {
              int literal = ThreadLocalRandom.current().nextInt(25);
              String sql = sleeper ? "SELECT pg_sleep(0.5), " + literal
                  : AdHocStatements.TEXT + literal;
              try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                  rs.getObject(1);
                }
                done[side].incrementAndGet();
              } catch (SQLException e) {
                errors.incrementAndGet();
              }
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();
    Thread.sleep(500);
    double seconds = rounds * roundMillis / 1000.0;
    return new Result(done[0].get() / seconds, done[1].get() / seconds, errors.get(),
        engine.registry().sessions().size() - before);
  }
}
