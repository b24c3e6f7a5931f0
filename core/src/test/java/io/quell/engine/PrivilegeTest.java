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
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** SPEC "Who may do what", table-driven: every caller against every target. */
class PrivilegeTest {
  static final List<String> USERS =
      List.of("root", "admin2", "viewer", "redacted", "canceller", "plain");

  @TempDir Path dir;
  EngineFixture f;
  final Map<String, Connection> sessions = new LinkedHashMap<>();

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    Connection root = f.connect("root");
    sessions.put("root", root);
    update(root, "CREATE USER admin2");
    update(root, "GRANT admin TO admin2");
    update(root, "CREATE USER viewer WITH VIEWACTIVITY");
    update(root, "CREATE USER redacted VIEWACTIVITYREDACTED");
    update(root, "CREATE USER canceller WITH CANCELQUERY");
    update(root, "CREATE USER plain");
    update(root, "CREATE ROLE nologin_role");
    for (String u : USERS.subList(1, USERS.size())) {
      sessions.put(u, f.connect(u));
    }
    // each session ran a query with a constant, so last_active_query has something to redact
    for (Connection c : sessions.values()) {
      rows(c, "SELECT 'secret' AS s, 42 AS n");
    }
  }

  @AfterEach void stop() {
    f.close();
  }

  private static boolean isAdmin(String u) {
    return u.equals("root") || u.equals("admin2");
  }

  @Test void whoSeesWhom() throws Exception {
    for (String caller : USERS) {
      Set<String> seen = new TreeSet<>();
      column(sessions.get(caller), "SELECT user_name FROM (SHOW SESSIONS) AS s")
          .forEach(u -> seen.add((String) u));
      Set<String> expected = switch (caller) {
        case "root", "admin2", "viewer", "redacted" -> new TreeSet<>(USERS);
        default -> new TreeSet<>(Set.of(caller));
      };
      assertEquals(expected, seen, caller + " sees");
    }
  }

  @Test void redactedViewerSeesNoConstantsOfOthers() throws Exception {
    for (List<Object> row : rows(sessions.get("redacted"),
        "SELECT user_name, last_active_query FROM (SHOW SESSIONS) AS s")) {
      String text = (String) row.get(1);
      if (row.get(0).equals("redacted")) {
        assertTrue(text.contains("'secret'"), text);
      } else {
        assertEquals("SELECT _ AS s, _ AS n", text, "redacted text of " + row.get(0));
      }
    }
    for (List<Object> row : rows(sessions.get("viewer"),
        "SELECT last_active_query FROM (SHOW SESSIONS) AS s WHERE user_name = 'plain'")) {
      assertEquals("SELECT 'secret' AS s, 42 AS n", row.get(0));
    }
    // SHOW QUERIES redacts too: redacted's view of root's running query
    List<Object> own = column(sessions.get("redacted"),
        "SELECT query FROM (SHOW QUERIES) AS q WHERE query LIKE '%q%'");
    assertTrue(own.stream().allMatch(q -> ((String) q).contains("'%q%'")), own.toString());
  }

  @Test void whoMayCancelWhom() throws Exception {
    for (String caller : USERS) {
      for (String target : USERS) {
        if (caller.equals(target)) {
          continue;
        }
        boolean allowed = isAdmin(caller) || caller.equals("canceller") && !isAdmin(target);
        String id = sessionId(sessions.get(target));
        String sql = "CANCEL SESSION '" + id + "'";
        if (allowed) {
          assertEquals(1, update(sessions.get(caller), sql), caller + " cancels " + target);
          sessions.put(target, f.connect(target));
        } else {
          String msg = failsWith("42501", () -> update(sessions.get(caller), sql));
          assertTrue(msg.contains("user " + caller + " does not have"), msg);
          assertEquals(List.of(1), column(sessions.get(target), "SELECT 1"));
        }
      }
    }
  }

  @Test void bulkCancelIsAllOrNothing() throws Exception {
    // canceller may cancel plain's and viewer's sessions but not root's: nothing happens
    String msg = failsWith("42501", () -> update(sessions.get("canceller"),
        "CANCEL SESSIONS (VALUES '" + sessionId(sessions.get("plain")) + "', '"
            + sessionId(sessions.get("viewer")) + "', '" + sessionId(sessions.get("root")) + "')"));
    assertTrue(msg.contains("admin"), msg);
    for (Connection c : sessions.values()) {
      assertEquals(List.of(1), column(c, "SELECT 1"));
    }
  }

  @Test void onlyAdminsManageRolesAndNologinCannotConnect() throws Exception {
    failsWith("42501", () -> update(sessions.get("viewer"), "CREATE USER x"));
    failsWith("42501", () -> update(sessions.get("canceller"), "GRANT admin TO canceller"));
    failsWith("42501", () -> update(sessions.get("plain"), "DROP USER viewer"));
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> f.connect("nologin_role"));
    assertEquals("28000", e.getSQLState(), e.getMessage());
    assertEquals(List.of(List.of("admin", "admin2", true), List.of("admin", "root", true)),
        rows(sessions.get("root"), "SHOW GRANTS"));
  }
}
