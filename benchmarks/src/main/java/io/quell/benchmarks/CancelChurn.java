package io.quell.benchmarks;

import io.quell.engine.QuellEngine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 5: N clients run queries while M clients cancel random running ones. Reports
 * statements per second, how many were cancelled, unexpected errors, and what is left in the
 * registry once everyone has disconnected (must be nothing).
 */
final class CancelChurn {
  record Result(double statementsPerSecond, long completed, long cancelled, long unexpected,
      int leftoverSessions, int leftoverQueries) {
  }

  private CancelChurn() {
  }

  static Result run(String url, QuellEngine engine, int workers, int cancellers, long millis)
      throws Exception {
    AtomicLong completed = new AtomicLong();
    AtomicLong cancelled = new AtomicLong();
    AtomicLong unexpected = new AtomicLong();
    long end = System.nanoTime() + millis * 1_000_000;
    ExecutorService pool = Executors.newFixedThreadPool(workers + cancellers);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      futures.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url + "&applicationName=churn")) {
          while (System.nanoTime() < end) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lineitem")) {
              rs.next();
              completed.incrementAndGet();
            } catch (SQLException e) {
              (e.getSQLState().equals("57014") ? cancelled : unexpected).incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    for (int i = 0; i < cancellers; i++) {
      futures.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url)) {
          while (System.nanoTime() < end) {
            List<String> ids = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT query_id FROM (SHOW QUERIES) AS q WHERE application_name = 'churn'")) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
            if (!ids.isEmpty()) {
              try (PreparedStatement p = c.prepareStatement("CANCEL QUERY IF EXISTS ?")) {
                p.setString(1, ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
                p.executeUpdate();
              }
            }
            Thread.sleep(20);
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    Thread.sleep(500);
    double seconds = millis / 1000.0;
    return new Result((completed.get() + cancelled.get()) / seconds, completed.get(),
        cancelled.get(), unexpected.get(), engine.registry().sessions().size(),
        engine.registry().queries().size());
  }
}
