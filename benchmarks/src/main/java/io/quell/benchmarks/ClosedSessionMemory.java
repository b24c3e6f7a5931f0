package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 4c: heap a closed session costs while its history is kept, beside the heap of the
 * same session while it was open and idle. A server of its own, so that no other figure's
 * sessions are in its history; each session runs one dashboard-like statement first, since
 * the history keeps the last query's text.
 */
final class ClosedSessionMemory {
  private static final String STATEMENT = "SELECT CURRENT_TIMESTAMP AS refreshed_at, 'revenue by region"
      + "' AS panel /* dashboard 42 */";

  private ClosedSessionMemory() {
  }

  record Result(int sessions, double openBytesPerSession, double closedBytesPerSession) {
  }

  static Result measure(EngineConfig config, String password, int sessions) throws Exception {
    try (QuellServer server = QuellServer.start(config, "127.0.0.1", 0, Serialization.PROTOBUF,
        null)) {
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port()
          + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;avatica_password="
          + password;
      // Warm: classes, the plan cache entry and the history's first nodes are no session's.
      openRunClose(url, 50);
      int before = server.engine().registry().closedSessions().size();
      long heapBefore = SessionScale.usedHeap();
      List<Connection> open = new ArrayList<>(sessions);
      for (int i = 0; i < sessions; i++) {
        open.add(run(DriverManager.getConnection(url)));
      }
      long heapOpen = SessionScale.usedHeap();
      for (Connection c : open) {
        c.close();
      }
      long heapClosed = SessionScale.usedHeap();
      int kept = server.engine().registry().closedSessions().size() - before;
      if (kept != sessions) {
        throw new IllegalStateException(kept + " of " + sessions + " closed sessions kept");
      }
      return new Result(sessions, (heapOpen - heapBefore) / (double) sessions,
          (heapClosed - heapBefore) / (double) sessions);
    }
  }

  private static void openRunClose(String url, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      run(DriverManager.getConnection(url)).close();
    }
  }

  private static Connection run(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STATEMENT)) {
      while (rs.next()) {
        rs.getString(2);
      }
    }
    return c;
  }
}
