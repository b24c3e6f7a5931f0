package io.quell.benchmarks;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.openjdk.jol.info.GraphLayout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Figure 4c: what the history of closed sessions costs, per session, beside what the same
 * sessions held while they were open and idle. The history's cost is its object graph as JOL
 * walks it (records, ids, texts, the deque's nodes; strings it shares with the rest of the
 * node, such as user names, counted once): exact, where a heap difference after the
 * connections closed would mostly measure what the collector had not yet given back. The open
 * sessions are measured as figure 4 measures them, by heap difference. A server of its own,
 * so that no other figure's sessions are in its history; each session runs one dashboard-like
 * statement first, since the history keeps the last query's text.
 */
final class ClosedSessionMemory {
  private static final String STATEMENT = "SELECT CURRENT_TIMESTAMP AS refreshed_at, "
      + "'revenue by region' AS panel /* dashboard 42 */";

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
      // Warm: classes and the plan cache entry are no session's.
      run(DriverManager.getConnection(url)).close();
      long heapBefore = SessionScale.usedHeap();
      List<Connection> open = new ArrayList<>(sessions);
      for (int i = 0; i < sessions; i++) {
        open.add(run(DriverManager.getConnection(url)));
      }
      long heapOpen = SessionScale.usedHeap();
      for (Connection c : open) {
        c.close();
      }
      Collection<?> history = server.engine().registry().closedSessions();
      if (history.size() != sessions + 1) {
        throw new IllegalStateException(history.size() + " closed sessions kept of "
            + (sessions + 1));
      }
      return new Result(sessions, (heapOpen - heapBefore) / (double) sessions,
          GraphLayout.parseInstance(history).totalSize() / (double) history.size());
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
