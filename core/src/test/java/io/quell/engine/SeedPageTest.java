package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.List;

/**
 * Every statement of CockroachDB's CANCEL SESSION page (the seed of this project; its examples
 * are in docs/sql-reference.md), verbatim, over embedded connections.
 */
class SeedPageTest {
  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER maxroach WITH PASSWORD 'roach'");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void showSessionsListsEverySessionWithTheSpecColumns() throws Exception {
    Connection max1 = f.connect("maxroach");
    f.connect("maxroach");
    try (Statement s = root.createStatement()) {
      ResultSetMetaData md = s.executeQuery("SHOW SESSIONS;".replace(";", "")).getMetaData();
      List<String> names = new java.util.ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i));
      }
      assertEquals(List.of("node_id", "session_id", "status", "user_name", "client_address",
          "application_name", "active_queries", "last_active_query", "num_txns_executed",
          "session_start", "active_query_start", "alloc_bytes", "max_alloc_bytes",
          // beyond CockroachDB's (SPEC.md "Beyond CockroachDB"): the query's sqlcommenter tags
          "active_query_tags",
          // and when and why a closed session (SHOW ALL SESSIONS) ended
          "session_end", "end_cause",
          // and its PostgreSQL process id (pg_stat_activity.pid, pg_cancel_backend)
          "pid"), names);
    }
    List<List<Object>> sessions = rows(root, "SHOW SESSIONS");
    assertEquals(3, sessions.size());
    assertEquals(List.of("maxroach", "maxroach", "root"),
        sessions.stream().map(r -> (String) r.get(3)).sorted().toList());
    for (List<Object> row : sessions) {
      assertEquals(1, row.get(0));
      assertTrue(((String) row.get(1)).matches("[0-9a-f]{16}0000000000000001"), row.toString());
    }
    String maxId = sessionId(max1);
    assertTrue(sessions.stream().anyMatch(r -> r.get(1).equals(maxId)));
  }

  @Test void cancelSingleSession() throws Exception {
    Connection victim = f.connect("maxroach");
    Connection bystander = f.connect("maxroach");
    String id = sessionId(victim);
    assertEquals(1, update(root, "CANCEL SESSION '" + id + "'"));
    failsWith("57P01", () -> rows(victim, "SELECT 1"));
    assertEquals(List.of(1), column(bystander, "SELECT 1"));
    assertTrue(column(root, "SELECT session_id FROM (SHOW SESSIONS) AS s").stream()
        .noneMatch(id::equals));
  }

  @Test void cancelSessionsOfRootWithSubquery() throws Exception {
    Connection admin = f.connect("root");
    Connection max = f.connect("maxroach");
    int cancelled = update(root, "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
        + "      WHERE user_name = 'root')");
    assertEquals(2, cancelled);
    failsWith("57P01", () -> rows(admin, "SELECT 1"));
    failsWith("57P01", () -> rows(root, "SELECT 1"));
    assertEquals(List.of(1), column(max, "SELECT 1"));
  }

  @Test void cancelMultipleSessions() throws Exception {
    Connection m1 = f.connect("maxroach");
    Connection m2 = f.connect("maxroach");
    assertEquals(3, rows(root, "SHOW SESSIONS").size());
    assertEquals(2, update(root, "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
        + "      WHERE user_name = 'maxroach')"));
    failsWith("57P01", () -> rows(m1, "SELECT 1"));
    failsWith("57P01", () -> rows(m2, "SELECT 1"));
    assertEquals(List.of("root"), column(root, "SELECT user_name FROM (SHOW SESSIONS) AS s"));
  }
}
