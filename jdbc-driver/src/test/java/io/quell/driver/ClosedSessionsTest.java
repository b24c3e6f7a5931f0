package io.quell.driver;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sessions that ended stay listed with status CLOSED, when and why they ended, for the
 * retention and up to the limit: over a real server and jdbc:quell://, as an operator reads
 * them.
 */
class ClosedSessionsTest {
  private static final String APP = "history-test";

  @TempDir Path dir;
  ServerFixture f;
  Connection root;

  private void start(EngineConfig.Builder config) throws Exception {
    f = new ServerFixture(config.dataDir(dir));
    root = f.root();
    update(root, "CREATE USER alice WITH PASSWORD 'alice-pw'");
    update(root, "CREATE USER bob WITH PASSWORD 'bob-pw'");
    update(root, "CREATE USER carol WITH PASSWORD 'carol-pw' VIEWACTIVITYREDACTED");
  }

  @AfterEach void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test void aClosedSessionIsListedByShowAllSessionsOnly() throws Exception {
    start(EngineConfig.builder());
    Connection alice = f.connect("alice", "alice-pw", APP);
    String id = (String) column(alice, "SHOW session_id").get(0);
    column(alice, "SELECT 42 AS answer");
    long beforeClose = System.currentTimeMillis();
    alice.close();

    assertEquals(List.of(), column(root, "SELECT session_id FROM (SHOW SESSIONS) AS s "
        + "WHERE user_name = 'alice'"), "SHOW SESSIONS lists open sessions only");
    List<List<Object>> closed = rows(root, "SELECT session_id, status, active_queries, "
        + "last_active_query, active_query_start, end_cause FROM (SHOW ALL SESSIONS) AS s "
        + "WHERE user_name = 'alice'");
    assertEquals(List.of(List.of(id, "CLOSED", "", "SELECT 42 AS answer")),
        closed.stream().map(r -> r.subList(0, 4)).toList());
    assertNull(closed.get(0).get(4));
    assertEquals("CLIENT", closed.get(0).get(5));
    Timestamp end = (Timestamp) column(root, "SELECT session_end FROM "
        + "quell_internal.node_sessions WHERE session_id = '" + id + "'").get(0);
    assertTrue(Math.abs(end.getTime() - beforeClose) < 60_000, "session_end " + end);
    assertEquals(List.of(Arrays.asList("root", null, null)), rows(root, "SELECT user_name, "
        + "session_end, end_cause FROM (SHOW SESSIONS) AS s"),
        "an open session has neither an end nor a cause");
  }

  @Test void sessionEndAndEndCauseFollowTheTags() throws Exception {
    start(EngineConfig.builder());
    try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSIONS")) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(17, md.getColumnCount());
      assertEquals(List.of("active_query_tags", "session_end", "end_cause", "pid"),
          List.of(md.getColumnLabel(14), md.getColumnLabel(15), md.getColumnLabel(16),
              md.getColumnLabel(17)));
    }
  }

  @Test void eachWayOfEndingHasItsCause() throws Exception {
    start(EngineConfig.builder());
    Connection cancelled = f.connect("alice", "alice-pw", APP);
    String cancelledId = (String) column(cancelled, "SHOW session_id").get(0);
    assertEquals(1, update(root, "CANCEL SESSION '" + cancelledId + "'"));
    Connection idle = f.connect("alice", "alice-pw", APP);
    String idleId = (String) column(idle, "SHOW session_id").get(0);
    update(idle, "SET idle_in_session_timeout TO '300ms'");
    assertEquals("CANCELED", endCause(cancelledId));
    assertEquals("IDLE", await(() -> endCause(idleId)));
  }

  @Test void anExpiredConnectionEndsItsSessionAsExpired() throws Exception {
    start(EngineConfig.builder().connectionExpiry(Duration.ofSeconds(1)));
    String id = (String) column(f.connect("alice", "alice-pw", APP), "SHOW session_id").get(0);
    // root's polling is its connection's traffic: only alice's goes quiet.
    assertEquals("EXPIRED", await(() -> endCause(id)));
  }

  @Test void privilegesAndRedactionApplyAsToOpenSessions() throws Exception {
    start(EngineConfig.builder());
    Connection alice = f.connect("alice", "alice-pw", APP);
    column(alice, "SELECT 'secret' AS s");
    alice.close();
    Connection bob = f.connect("bob", "bob-pw", APP);
    column(bob, "SELECT 7 AS n");
    bob.close();
    Connection bobAgain = f.connect("bob", "bob-pw", APP);
    Connection carol = f.connect("carol", "carol-pw", APP);
    String closed = "SELECT user_name, last_active_query FROM (SHOW ALL SESSIONS) AS s "
        + "WHERE status = 'CLOSED' AND application_name = '" + APP + "' ORDER BY user_name";
    assertEquals(List.of(List.of("bob", "SELECT 7 AS n")), rows(bobAgain, closed),
        "a user sees their own closed sessions only");
    assertEquals(List.of(List.of("alice", "SELECT _ AS s"), List.of("bob", "SELECT _ AS n")),
        rows(carol, closed), "VIEWACTIVITYREDACTED sees other users' constants redacted");
    assertEquals(List.of(List.of("alice", "SELECT 'secret' AS s"),
        List.of("bob", "SELECT 7 AS n")), rows(root, closed));
  }

  @Test void aClosedSessionCannotBeCancelled() throws Exception {
    start(EngineConfig.builder());
    Connection alice = f.connect("alice", "alice-pw", APP);
    String id = (String) column(alice, "SHOW session_id").get(0);
    alice.close();
    assertEquals("CLIENT", endCause(id));
    String msg = failsWith("42704", () -> update(root, "CANCEL SESSION '" + id + "'"));
    assertTrue(msg.contains("session ID " + id + " not found"), msg);
    assertEquals(0, update(root, "CANCEL SESSION IF EXISTS '" + id + "'"));
    assertEquals(0, update(root, "CANCEL SESSIONS IF EXISTS (SELECT session_id FROM "
        + "(SHOW ALL SESSIONS) AS s WHERE status = 'CLOSED')"));
    assertEquals(List.of(), column(root, "SELECT target_id FROM quell_internal.cancellations"),
        "nothing was cancelled, so nothing was audited");
  }

  @Test void theOldestAreDroppedBeyondTheLimit() throws Exception {
    start(EngineConfig.builder().closedSessionLimit(2));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Connection c = f.connect("alice", "alice-pw", APP);
      ids.add((String) column(c, "SHOW session_id").get(0));
      c.close();
    }
    assertEquals(ids.subList(2, 4), column(root, "SELECT session_id FROM (SHOW ALL SESSIONS) "
        + "AS s WHERE user_name = 'alice' AND status = 'CLOSED' ORDER BY session_end"));
  }

  @Test void closedSessionsGoOnceTheRetentionHasPassed() throws Exception {
    start(EngineConfig.builder().closedSessionRetention(Duration.ofSeconds(1)));
    Connection alice = f.connect("alice", "alice-pw", APP);
    String id = (String) column(alice, "SHOW session_id").get(0);
    alice.close();
    assertEquals("CLIENT", endCause(id));
    assertEquals("gone", await(() -> endCause(id) == null ? "gone" : null));
  }

  /** The end cause of session {@code id} as the node lists it; null if it is not listed. */
  private String endCause(String id) {
    try {
      List<Object> causes = column(root, "SELECT end_cause FROM quell_internal.node_sessions "
          + "WHERE session_id = '" + id + "'");
      return causes.isEmpty() ? null : (String) causes.get(0);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The first non-null answer of {@code probe} within 15 s. */
  private static String await(Supplier<String> probe) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      String answer = probe.get();
      if (answer != null) {
        return answer;
      }
      Thread.sleep(100);
    }
    return null;
  }
}
