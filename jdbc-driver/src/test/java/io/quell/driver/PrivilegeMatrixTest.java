package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * SPEC "Who may do what" over the real server, as one table: every caller tries SHOW, CANCEL
 * QUERY, CANCEL SESSION and mixed CANCEL SESSIONS/QUERIES against a victim session of every
 * user, each running a long query. Refusals must cancel nothing; the rows seen must be exactly
 * the visible ones, with query text redacted in every column that carries it.
 */
@Timeout(300)
class PrivilegeMatrixTest {
  static final List<String> USERS =
      List.of("root", "admin2", "viewer", "redacted", "canceller", "plain");

  /**
   * caller x target-owner -> expected. SHOW: V visible with full text, R visible with constants
   * redacted, - not visible. CANCEL (QUERY and SESSION alike): A allowed, D refused with 42501.
   */
  static final String MATRIX = """
      caller    | SHOW: root admin2 viewer redacted canceller plain | CANCEL: root admin2 viewer redacted canceller plain
      root      |       V    V      V      V        V         V     |         A    A      A      A        A         A
      admin2    |       V    V      V      V        V         V     |         A    A      A      A        A         A
      viewer    |       V    V      V      V        V         V     |         D    D      A      D        D         D
      redacted  |       R    R      R      V        R         R     |         D    D      D      A        D         D
      canceller |       -    -      -      -        V         -     |         D    D      A      A        A         A
      plain     |       -    -      -      -        -         V     |         D    D      D      D        D         A
      """;

  static final String VICTIM_SQL = "SELECT pg_sleep(300) AS s, 'secret' AS k";
  static final String VICTIM_SQL_REDACTED = "SELECT pg_sleep(_) AS s, _ AS k";
  static final String LAST_SQL = "SELECT 'secret' AS k, 7 AS n";
  static final String LAST_SQL_REDACTED = "SELECT _ AS k, _ AS n";

  /** The sources of session rows and query rows every caller reads. */
  static final List<String> SESSION_SOURCES = List.of("(SHOW SESSIONS) AS s",
      "(SHOW CLUSTER SESSIONS) AS s", "quell_internal.cluster_sessions",
      "quell_internal.node_sessions");
  static final List<String> QUERY_SOURCES = List.of("(SHOW QUERIES) AS q",
      "(SHOW LOCAL STATEMENTS) AS q", "quell_internal.cluster_queries",
      "quell_internal.node_queries");

  @TempDir Path dir;
  ServerFixture f;
  Connection root;
  final Map<String, Connection> callers = new LinkedHashMap<>();
  final Map<String, Victim> victims = new LinkedHashMap<>();
  int sessionsOpened;
  int cancellations;
  int refusals;

  /** A session of {@code user} running {@link #VICTIM_SQL}. */
  final class Victim {
    final String user;
    final Connection connection;
    final String sessionId;
    CompletableFuture<SQLException> outcome;
    String queryId;

    Victim(String user) throws Exception {
      this.user = user;
      this.connection = f.connect(user, password(user));
      sessionsOpened++;
      this.sessionId = strings(connection, "SHOW session_id").get(0);
      strings(connection, LAST_SQL);
      start();
    }

    void start() throws Exception {
      Statement statement = connection.createStatement();
      outcome = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = statement.executeQuery(VICTIM_SQL)) {
          rs.next();
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      for (int i = 0; i < 800 && queryId == null; i++) {
        List<String> ids = strings(root, "SELECT query_id FROM quell_internal.node_queries "
            + "WHERE session_id = '" + sessionId + "' AND phase = 'executing'");
        queryId = ids.isEmpty() ? null : ids.get(0);
        if (queryId == null) {
          Thread.sleep(25);
        }
      }
      assertTrue(queryId != null, "victim query of " + user + " never started");
    }

    /** The victim's query still runs and its session is still listed. */
    void assertAlive(String after) throws SQLException {
      assertFalse(outcome.isDone(), user + "'s query ended after " + after);
      assertEquals(List.of(sessionId), strings(root, "SELECT session_id FROM "
          + "quell_internal.node_queries WHERE query_id = '" + queryId + "'"),
          user + "'s query is no longer listed after " + after);
    }

    SQLException awaitEnd() throws Exception {
      SQLException e = outcome.get(20, TimeUnit.SECONDS);
      assertTrue(e != null, user + "'s query was not cancelled");
      return e;
    }
  }

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(dir);
    root = f.root();
    callers.put("root", root);
    update(root, "CREATE USER admin2 WITH PASSWORD 'admin2-pw'");
    update(root, "GRANT admin TO admin2");
    update(root, "CREATE USER viewer WITH PASSWORD 'viewer-pw' VIEWACTIVITY");
    update(root, "CREATE USER redacted WITH PASSWORD 'redacted-pw' VIEWACTIVITYREDACTED");
    update(root, "CREATE USER canceller WITH PASSWORD 'canceller-pw' CANCELQUERY");
    update(root, "CREATE USER plain WITH PASSWORD 'plain-pw'");
    update(root, "CREATE USER nologin WITH PASSWORD 'nologin-pw' NOLOGIN");
    for (String user : USERS.subList(1, USERS.size())) {
      callers.put(user, f.connect(user, password(user)));
    }
    for (String user : USERS) {
      victims.put(user, new Victim(user));
    }
  }

  @AfterEach void stop() throws Exception {
    update(root, "CANCEL SESSIONS IF EXISTS VALUES " + victims.values().stream()
        .map(v -> "'" + v.sessionId + "'").collect(Collectors.joining(", ")));
    for (Victim v : victims.values()) {
      v.awaitEnd();
    }
    f.close();
  }

  static String password(String user) {
    return user.equals("root") ? ServerFixture.ROOT_PASSWORD : user + "-pw";
  }

  /** The cell of {@link #MATRIX} for {@code caller}, {@code action} (0 SHOW, 1 CANCEL), target. */
  static char expected(String caller, int action, String target) {
    for (String line : MATRIX.lines().skip(1).toList()) {
      String[] parts = line.split("\\|");
      if (parts[0].trim().equals(caller)) {
        return parts[1 + action].trim().split("\\s+")[USERS.indexOf(target)].charAt(0);
      }
    }
    throw new IllegalArgumentException(caller);
  }

  @Test void privilegeMatrix() throws Exception {
    for (String caller : USERS) {
      checkShow(caller);
    }
    for (String caller : USERS) {
      for (String target : USERS) {
        boolean allowed = expected(caller, 1, target) == 'A';
        cancelQuery(caller, victims.get(target), allowed);
        cancelSession(caller, target, allowed);
      }
      cancelMixed(caller);
    }
    checkNologin();
    System.out.printf("privilege matrix: %d callers x %d targets, %d sessions opened, "
        + "%d cancellations, %d refusals, 0 escapes%n", USERS.size(), USERS.size(),
        sessionsOpened, cancellations, refusals);
  }

  private void checkShow(String caller) throws SQLException {
    Map<String, String> victimOwner = new HashMap<>();
    victims.values().forEach(v -> victimOwner.put(v.sessionId, v.user));
    Map<String, String> queryOwner = new HashMap<>();
    victims.values().forEach(v -> queryOwner.put(v.queryId, v.user));
    for (String source : SESSION_SOURCES) {
      Map<String, List<String>> seen = rows(callers.get(caller), "SELECT session_id, user_name, "
          + "active_queries, last_active_query FROM " + source, victimOwner);
      for (String target : USERS) {
        String what = caller + " reading " + target + "'s session in " + source;
        List<String> row = seen.get(target);
        switch (expected(caller, 0, target)) {
        case '-' -> assertEquals(null, row, what);
        case 'V' -> assertEquals(List.of(target, VICTIM_SQL, LAST_SQL), row, what);
        default -> assertEquals(List.of(target, VICTIM_SQL_REDACTED, LAST_SQL_REDACTED), row,
            what);
        }
      }
    }
    for (String source : QUERY_SOURCES) {
      Map<String, List<String>> seen = rows(callers.get(caller),
          "SELECT query_id, user_name, query FROM " + source, queryOwner);
      for (String target : USERS) {
        String what = caller + " reading " + target + "'s query in " + source;
        List<String> row = seen.get(target);
        switch (expected(caller, 0, target)) {
        case '-' -> assertEquals(null, row, what);
        case 'V' -> assertEquals(List.of(target, VICTIM_SQL), row, what);
        default -> assertEquals(List.of(target, VICTIM_SQL_REDACTED), row, what);
        }
      }
    }
  }

  /** Rows of {@code sql} whose first column is a key of {@code owners}, by owner, without it. */
  private static Map<String, List<String>> rows(Connection c, String sql,
      Map<String, String> owners) throws SQLException {
    Map<String, List<String>> out = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String owner = owners.get(rs.getString(1));
        if (owner != null) {
          List<String> row = new ArrayList<>();
          for (int i = 2; i <= n; i++) {
            row.add(rs.getString(i));
          }
          assertEquals(null, out.put(owner, row), "one row per id in " + sql);
        }
      }
    }
    return out;
  }

  private void cancelQuery(String caller, Victim victim, boolean allowed) throws Exception {
    String sql = "CANCEL QUERY '" + victim.queryId + "'";
    if (allowed) {
      assertEquals(1, update(callers.get(caller), sql), caller + ": " + sql);
      cancellations++;
      assertEquals("57014", victim.awaitEnd().getSQLState());
      assertEquals(List.of("1"), strings(victim.connection, "SELECT 1"), "the session lives on");
      victim.queryId = null;
      victim.start();
    } else {
      refused(caller, sql);
    }
  }

  private void cancelSession(String caller, String target, boolean allowed) throws Exception {
    Victim victim = victims.get(target);
    String sql = "CANCEL SESSION '" + victim.sessionId + "'";
    if (!allowed) {
      refused(caller, sql);
      return;
    }
    assertEquals(1, update(callers.get(caller), sql), caller + ": " + sql);
    cancellations++;
    victim.awaitEnd();
    SQLException e = assertThrows(SQLException.class, () -> strings(victim.connection, "SELECT 1"));
    assertEquals("57P01", e.getSQLState());
    assertTrue(victim.connection.isClosed());
    victims.put(target, new Victim(target));
  }

  /** Every target the caller may cancel plus every one it may not: refused as a whole. */
  private void cancelMixed(String caller) throws Exception {
    List<Victim> mixed = victims.values().stream().toList();
    if (mixed.stream().allMatch(v -> expected(caller, 1, v.user) == 'A')) {
      return;
    }
    refused(caller, "CANCEL SESSIONS VALUES " + mixed.stream().map(v -> "'" + v.sessionId + "'")
        .collect(Collectors.joining(", ")));
    // ids as literals: a query over SHOW QUERIES would only return what the caller may see
    refused(caller, "CANCEL QUERIES (VALUES " + mixed.stream().map(v -> "('" + v.queryId + "')")
        .collect(Collectors.joining(", ")) + ")");
  }

  private void refused(String caller, String sql) throws Exception {
    SQLException e = assertThrows(SQLException.class, () -> update(callers.get(caller), sql),
        caller + ": " + sql);
    assertEquals("42501", e.getSQLState(), caller + ": " + sql + ": " + e.getMessage());
    assertTrue(e.getMessage().contains("user " + caller + " does not have"), e.getMessage());
    refusals++;
    for (Victim v : victims.values()) {
      v.assertAlive(caller + ": " + sql);
    }
  }

  /** A NOLOGIN user cannot connect, so it has no session anyone could target. */
  private void checkNologin() throws SQLException {
    SQLException e = assertThrows(SQLException.class, () -> f.connect("nologin", "nologin-pw"));
    assertEquals("28000", e.getSQLState(), e.getMessage());
    assertEquals(List.of(), strings(root,
        "SELECT session_id FROM (SHOW ALL SESSIONS) AS s WHERE user_name = 'nologin'"));
    assertEquals(0, update(root, "CANCEL SESSIONS (SELECT session_id FROM (SHOW ALL SESSIONS) "
        + "AS s WHERE user_name = 'nologin')"));
  }
}
