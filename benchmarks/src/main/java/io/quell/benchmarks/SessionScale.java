package io.quell.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 4: SHOW SESSIONS latency and heap per idle session as sessions grow. Client and server
 * share this JVM, so heap per session is an upper bound for the server alone.
 */
final class SessionScale {
  private SessionScale() {
  }

  record Result(int sessions, double showMillis, double bytesPerSession) {
  }

  static Result measure(String url, int sessions, Connection viewer) throws Exception {
    long before = usedHeap();
    List<Connection> open = new ArrayList<>(sessions);
    for (int i = 0; i < sessions; i++) {
      open.add(DriverManager.getConnection(url));
    }
    long after = usedHeap();
    Stats show = new Stats();
    for (int i = 0; i < 15; i++) {
      long start = System.nanoTime();
      try (Statement s = viewer.createStatement();
           ResultSet rs = s.executeQuery("SHOW SESSIONS")) {
        while (rs.next()) {
          rs.getString(2);
        }
      }
      show.add((System.nanoTime() - start) / 1e6);
    }
    for (Connection c : open) {
      c.close();
    }
    return new Result(sessions, show.median(), (after - before) / (double) sessions);
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // best effort at the end of a run
    }
  }
}
