package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Connections of one client process are independent, as a PostgreSQL client's sockets are:
 * however many of them run long statements, another one answers at once and a cancel gets
 * through. Avatica shares one HTTP pool of 25 connections per server among every connection
 * of the process, so the 26th statement used to wait for one of the first 25 to end.
 */
@Timeout(120)
class ManyBusyConnectionsTest {
  private static final int BUSY = 40;

  @TempDir Path dir;

  @Test void aStatementAndACancelDoNotWaitForOtherConnectionsStatements() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      ExecutorService threads = Executors.newFixedThreadPool(BUSY);
      try {
        List<Statement> sleepers = new ArrayList<>();
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < BUSY; i++) {
          Statement s = f.root().createStatement();
          sleepers.add(s);
          outcomes.add(CompletableFuture.supplyAsync(() -> sleep(s), threads));
        }
        try (Connection c = f.root(); Statement running = c.createStatement()) {
          awaitRunning(running, BUSY);
          long started = System.nanoTime();
          try (ResultSet rs = running.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
          }
          long answered = System.nanoTime();
          sleepers.get(0).cancel();
          assertEquals("57014", outcomes.get(0).get(5, TimeUnit.SECONDS));
          long cancelled = System.nanoTime();
          assertTrue(answered - started < TimeUnit.SECONDS.toNanos(2),
              "SELECT 1 took " + (answered - started) / 1_000_000 + " ms");
          assertTrue(cancelled - answered < TimeUnit.SECONDS.toNanos(2),
              "the cancel took " + (cancelled - answered) / 1_000_000 + " ms");
        }
        for (int i = 1; i < BUSY; i++) {
          sleepers.get(i).cancel();
        }
        for (CompletableFuture<String> outcome : outcomes) {
          assertEquals("57014", outcome.get(30, TimeUnit.SECONDS));
        }
      } finally {
        threads.shutdownNow();
      }
    }
  }

  /** How {@code s}'s 60 s sleep ended: the SQLSTATE it failed with, or "completed". */
  private static String sleep(Statement s) {
    try (ResultSet rs = s.executeQuery("SELECT pg_sleep(60)")) {
      return "completed";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  private static void awaitRunning(Statement s, int sleeps) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (SHOW QUERIES) AS q "
          + "WHERE query LIKE 'SELECT pg_sleep%' AND phase = 'executing'")) {
        rs.next();
        if (rs.getInt(1) == sleeps) {
          return;
        }
      }
      assertTrue(System.nanoTime() < deadline, "the sleeps did not all start");
      Thread.sleep(50);
    }
  }
}
