package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * {@code ALTER ROLE|USER name SET | RESET}: a role's sessions start with its defaults, which
 * SET overrides and RESET returns to; bad values are refused when set; only admins change
 * other roles'; the catalog keeps them.
 */
@Timeout(120)
class RoleSettingsTest {
  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    update(root, "CREATE USER bob");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void aRolesSessionsStartWithItsDefaults() throws Exception {
    update(root, "ALTER ROLE alice SET statement_timeout = '1.5s'");
    update(root, "ALTER USER alice SET plan_cache TO off");
    update(root, "ALTER USER alice SET application_name = 'reports'");
    Connection alice = f.connect("alice");
    assertEquals("1500ms", show(alice, "statement_timeout"));
    assertEquals("off", show(alice, "plan_cache"));
    assertEquals("reports", show(alice, "application_name"));
    update(alice, "SET statement_timeout = '5s'");
    assertEquals("5s", show(alice, "statement_timeout"));
    update(alice, "RESET statement_timeout");
    assertEquals("1500ms", show(alice, "statement_timeout"), "RESET returns to the role's");
    assertEquals("0", show(f.connect("bob"), "statement_timeout"), "bob's are his own");
    // A client's own application name wins over the role's.
    assertEquals("tool", show(f.connect("alice", "tool"), "application_name"));
    assertEquals(List.of(List.of("alice", "application_name", "reports"),
        List.of("alice", "plan_cache", "off"), List.of("alice", "statement_timeout", "1500ms")),
        rows(root, "SELECT role_name, variable, setting FROM quell_internal.role_settings "
            + "ORDER BY variable"));

    update(root, "ALTER ROLE alice RESET plan_cache");
    assertEquals("on", show(f.connect("alice"), "plan_cache"));
    update(root, "ALTER ROLE alice RESET ALL");
    assertEquals("0", show(f.connect("alice"), "statement_timeout"));
    assertEquals(List.of(), rows(root, "SELECT * FROM quell_internal.role_settings"));
  }

  @Test void aRolesMemoryLimitTakesEffectAtLogin() throws Exception {
    update(root, "ALTER ROLE alice SET max_query_memory = '2MB'");
    Connection alice = f.connect("alice");
    String message = failsWith("53200",
        () -> rows(alice, "SELECT * FROM lineitem ORDER BY l_comment"));
    assertTrue(message.contains("memory limit of 2.0 MiB"), message);
    assertEquals(1, rows(f.connect("bob"), "SELECT * FROM lineitem ORDER BY l_comment LIMIT 1")
        .size(), "bob has no such limit");
  }

  @Test void badSettingsAreRefusedAndChangeNothing() throws Exception {
    failsWith("22023", () -> update(root, "ALTER ROLE alice SET statement_timeout = 'soon'"));
    failsWith("22023", () -> update(root, "ALTER ROLE alice SET max_query_memory = 'lots'"));
    failsWith("42704", () -> update(root, "ALTER ROLE alice SET no_such_setting = 1"));
    failsWith("55P02", () -> update(root, "ALTER ROLE alice SET session_id = 'x'"));
    failsWith("42704", () -> update(root, "ALTER ROLE nobody SET plan_cache = off"));
    update(root, "ALTER ROLE IF EXISTS nobody SET plan_cache = off");
    assertEquals(List.of(), rows(root, "SELECT * FROM quell_internal.role_settings"));

    Connection alice = f.connect("alice");
    failsWith("42501", () -> update(alice, "ALTER ROLE bob SET plan_cache = off"));
    update(alice, "ALTER ROLE alice SET plan_cache = off");
    assertEquals(List.of(List.of("alice", "plan_cache", "off")),
        rows(alice, "SELECT * FROM quell_internal.role_settings"));
    assertEquals(List.of(), rows(f.connect("bob"), "SELECT * FROM quell_internal.role_settings"),
        "a role sees its own settings only");
    update(root, "DROP USER alice");
    assertEquals(List.of(), rows(root, "SELECT * FROM quell_internal.role_settings"));
  }

  @Test void settingsOutliveTheNode() throws Exception {
    update(root, "ALTER ROLE alice SET idle_in_session_timeout = '10min'");
    f.close();
    try (EngineFixture again = new EngineFixture(dir, 0.01)) {
      assertEquals("600s", show(again.connect("alice"), "idle_in_session_timeout"));
    }
  }

  private static String show(Connection c, String variable) throws Exception {
    return (String) column(c, "SHOW " + variable).get(0);
  }
}
