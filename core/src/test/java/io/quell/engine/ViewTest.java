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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * CREATE [OR REPLACE] VIEW and DROP VIEW: what a view returns, who may make one, what fails
 * (and then changes nothing), that views live in the user catalog across a restart, and how
 * DatabaseMetaData shows them.
 */
class ViewTest {
  /** TPC-H's nations with a key above 20, by key. */
  static final List<Object> NATIONS_ABOVE_20 =
      List.of("VIETNAM", "RUSSIA", "UNITED KINGDOM", "UNITED STATES");

  @TempDir Path dir;
  EngineFixture f;
  Connection root;
  Connection plain;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER plain");
    update(root, "CREATE USER admin2");
    update(root, "GRANT admin TO admin2");
    plain = f.connect("plain", "plain-app");
  }

  @AfterEach void stop() {
    f.close();
  }

  /**
   * Checks the server's message, which Avatica's client still wraps in its own words (the
   * driver's rework removes the wrapping).
   */
  private static void assertMessage(String expected, String message) {
    assertTrue(message.endsWith(": " + expected) || message.equals(expected), message);
  }

  private static List<Object> nationsAbove(Connection c, String view) throws SQLException {
    return column(c, "SELECT n_name FROM " + view + " ORDER BY n_nationkey");
  }

  /** The views DatabaseMetaData lists, as schema.name. */
  private static Set<String> listedViews(Connection c) throws SQLException {
    Set<String> views = new TreeSet<>();
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"VIEW"})) {
      while (rs.next()) {
        assertEquals("VIEW", rs.getString("TABLE_TYPE"));
        views.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    return views;
  }

  @Test void createQueryReplaceAndDrop() throws Exception {
    assertEquals(0, update(root, "CREATE VIEW big_nations AS"
        + " SELECT n_nationkey, n_name FROM nation WHERE n_nationkey > 20"));
    assertEquals(NATIONS_ABOVE_20, nationsAbove(root, "big_nations"));
    // Anyone may read it, under any spelling of its name, with or without its schema.
    assertEquals(NATIONS_ABOVE_20, nationsAbove(plain, "tpch.BIG_NATIONS"));
    assertEquals(List.of(4L), column(plain, "SELECT COUNT(*) FROM \"big_nations\""));
    // It composes as a table: joins, subqueries, WITH.
    assertEquals(List.of("VIETNAM"), column(plain, "SELECT b.n_name FROM big_nations b"
        + " JOIN nation n ON b.n_nationkey = n.n_nationkey WHERE n.n_regionkey = 2"));
    assertEquals(List.of(4L), column(plain, "WITH x AS (SELECT * FROM big_nations)"
        + " SELECT COUNT(*) FROM x WHERE n_nationkey IN (SELECT n_nationkey FROM big_nations)"));

    assertEquals(0, update(root, "CREATE OR REPLACE VIEW big_nations (k, name) AS"
        + " SELECT n_nationkey, n_name FROM nation WHERE n_nationkey > 22"));
    assertEquals(List.of("UNITED KINGDOM", "UNITED STATES"),
        column(plain, "SELECT name FROM big_nations ORDER BY k"));
    failsWith("42000", () -> rows(plain, "SELECT n_name FROM big_nations"));

    assertEquals(0, update(root, "DROP VIEW big_nations"));
    String gone = failsWith("42000", () -> rows(plain, "SELECT * FROM big_nations"));
    assertTrue(gone.contains("Object 'big_nations' not found"), gone);
    assertEquals(0, update(root, "DROP VIEW IF EXISTS big_nations"));
    String missing = failsWith("42P01", () -> update(root, "DROP VIEW big_nations"));
    assertMessage("view \"big_nations\" does not exist", missing);
  }

  @Test void aViewIsVisibleAtOnceToSessionsOpenedBefore() throws Exception {
    assertEquals(Set.of(), listedViews(plain));
    update(root, "CREATE VIEW v AS SELECT n_nationkey, n_name FROM nation WHERE n_nationkey > 20");
    assertEquals(NATIONS_ABOVE_20, nationsAbove(plain, "v"));
    assertEquals(Set.of("tpch.v"), listedViews(plain));
    update(root, "DROP VIEW v");
    failsWith("42000", () -> rows(plain, "SELECT * FROM v"));
    assertEquals(Set.of(), listedViews(plain));
  }

  @Test void viewsOfViewsOfEveryQueryShape() throws Exception {
    update(root, "CREATE VIEW regions AS SELECT r_regionkey AS k, r_name AS name FROM region");
    update(root, "CREATE VIEW region_nations (region, nations) AS SELECT r.name, COUNT(*)"
        + " FROM regions r JOIN nation n ON n.n_regionkey = r.k GROUP BY r.name");
    update(root, "CREATE VIEW tpch.top_region AS SELECT region FROM region_nations"
        + " UNION ALL SELECT 'none' ORDER BY 1 LIMIT 1");
    update(root, "CREATE VIEW lettered AS VALUES ('a', 1), ('b', 2)");
    assertEquals(List.of(List.of("AFRICA", 5L), List.of("AMERICA", 5L)),
        rows(plain, "SELECT * FROM region_nations ORDER BY region LIMIT 2"));
    assertEquals(List.of("AFRICA"), column(plain, "SELECT * FROM top_region"));
    assertEquals(List.of(List.of("b", 2)), rows(plain, "SELECT * FROM lettered WHERE EXPR$1 > 1"));
    // The session's function libraries (PostgreSQL's here) apply inside a view too.
    update(root,
        "CREATE VIEW hashed AS SELECT MD5(r_name) AS h FROM region WHERE r_regionkey = 0");
    assertEquals(List.of("e0d829a023d4407c9ddd6ebcf2037202"),
        column(plain, "SELECT * FROM hashed"));
    // Literals in any script survive the round trip through the catalog.
    update(root, "CREATE VIEW greeting AS SELECT '日本' AS word");
    assertEquals(List.of("日本"), column(plain, "SELECT word FROM greeting"));
    // A prepared CREATE VIEW takes its parameters' values as they were at CREATE.
    try (PreparedStatement ps = root.prepareStatement(
        "CREATE VIEW one_nation AS SELECT n_name FROM nation WHERE n_nationkey = ?")) {
      ps.setInt(1, 24);
      ps.execute();
    }
    assertEquals(List.of("UNITED STATES"), column(plain, "SELECT * FROM one_nation"));
  }

  @Test void aViewOverShowSessionsShowsEachCallerWhatTheyMaySee() throws Exception {
    update(root, "CREATE VIEW live_sessions AS SHOW SESSIONS");
    update(root, "CREATE VIEW my_users AS SELECT DISTINCT user_name FROM (SHOW LOCAL SESSIONS) s");
    update(root, "CREATE VIEW running_queries AS"
        + " WITH q AS (SHOW QUERIES) SELECT user_name, query FROM q");
    Connection viewer = f.connect("admin2");
    assertEquals(List.of("plain"), column(plain, "SELECT user_name FROM live_sessions"));
    assertEquals(List.of("plain"), column(plain, "SELECT * FROM my_users"));
    assertEquals(List.of("admin2", "plain", "root"),
        column(viewer, "SELECT * FROM my_users ORDER BY 1"));
    // The view has SHOW SESSIONS's columns in its order, and hides internal sessions as it does.
    try (ResultSet rs = plain.createStatement().executeQuery("SELECT * FROM live_sessions")) {
      assertEquals(17, rs.getMetaData().getColumnCount());
      assertEquals("node_id", rs.getMetaData().getColumnName(1));
      assertEquals("pid", rs.getMetaData().getColumnName(17));
      assertTrue(rs.next());
      assertEquals("plain-app", rs.getString("application_name"));
    }
    // The caller's own running query, seen through the view.
    List<List<Object>> running = rows(plain, "SELECT * FROM running_queries");
    assertEquals(1, running.size(), running.toString());
    assertEquals(List.of("plain", "SELECT * FROM running_queries"), running.get(0));
    // CANCEL takes a view's ids like any query's.
    update(root, "CREATE VIEW plain_sessions AS"
        + " SELECT session_id FROM live_sessions WHERE user_name = 'plain'");
    assertEquals(1, update(root, "CANCEL SESSIONS (SELECT * FROM plain_sessions)"));
    failsWith("57P01", () -> rows(plain, "SELECT 1"));
  }

  @Test void onlyAdminsCreateOrDropViews() throws Exception {
    String refused = failsWith("42501",
        () -> update(plain, "CREATE VIEW mine AS SELECT * FROM nation"));
    assertMessage("user plain does not have admin privilege to create views", refused);
    failsWith("42501", () -> update(plain, "CREATE OR REPLACE VIEW mine AS SELECT * FROM bad"));
    failsWith("42000", () -> rows(root, "SELECT * FROM mine"));

    Connection admin2 = f.connect("admin2");
    update(admin2, "CREATE VIEW theirs AS SELECT n_nationkey, n_name FROM nation"
        + " WHERE n_nationkey > 20");
    refused = failsWith("42501", () -> update(plain, "DROP VIEW theirs"));
    assertMessage("user plain does not have admin privilege to drop views", refused);
    failsWith("42501", () -> update(plain, "DROP VIEW IF EXISTS theirs"));
    failsWith("42501", () -> update(plain,
        "CREATE OR REPLACE VIEW theirs AS SELECT n_nationkey, n_name FROM nation"));
    assertEquals(NATIONS_ABOVE_20, nationsAbove(plain, "theirs"));
    update(root, "DROP VIEW theirs");
  }

  @Test void badStatementsFailClearlyAndStoreNothing() throws Exception {
    String unknown = failsWith("42000",
        () -> update(root, "CREATE VIEW v AS SELECT * FROM no_such_table"));
    assertMessage("view \"v\" is invalid: Object 'no_such_table' not found", unknown);
    String degree = failsWith("42000",
        () -> update(root, "CREATE VIEW v (a, b) AS SELECT n_name FROM nation"));
    assertTrue(degree.contains("List of column aliases must have same degree as table"), degree);
    String aliases = failsWith("42000",
        () -> update(root, "CREATE VIEW v (a, A) AS SELECT n_name, n_comment FROM nation"));
    assertTrue(aliases.contains("Duplicate name 'a' in column alias list"), aliases);
    // Calcite lets a query's columns share a name; a view's may not, or one could not be read.
    String duplicate = failsWith("42701",
        () -> update(root, "CREATE VIEW v AS SELECT 1 AS x, 2 AS \"X\""));
    assertMessage("column \"X\" specified more than once", duplicate);
    String itself = failsWith("42000", () -> update(root, "CREATE VIEW v AS SELECT * FROM v"));
    assertTrue(itself.contains("Object 'v' not found"), itself);
    failsWith("42601", () -> update(root, "CREATE VIEW v AS SELECT FROM"));
    assertEquals(Set.of(), listedViews(root));

    update(root, "CREATE VIEW v AS SELECT n_nationkey, n_name FROM nation WHERE n_nationkey > 20");
    String exists = failsWith("42P07", () -> update(root, "CREATE VIEW v AS SELECT 1"));
    assertMessage("relation \"v\" already exists", exists);
    failsWith("42P07", () -> update(root, "CREATE VIEW \"V\" AS SELECT 1"));
    failsWith("42000", () -> update(root, "CREATE OR REPLACE VIEW v AS SELECT * FROM nope"));
    // A view that would read itself, directly or through another view.
    update(root, "CREATE VIEW w AS SELECT * FROM v");
    String loop = failsWith("42P17",
        () -> update(root, "CREATE OR REPLACE VIEW v AS SELECT * FROM w"));
    assertMessage("infinite recursion detected in view \"v\"", loop);
    failsWith("42P17", () -> update(root, "CREATE OR REPLACE VIEW \"V\" AS SELECT * FROM v"));
    assertEquals(NATIONS_ABOVE_20, nationsAbove(plain, "v"));
    assertEquals(NATIONS_ABOVE_20, nationsAbove(plain, "w"));

    // A view whose query no longer resolves fails when read, naming itself; the rest works.
    update(root, "CREATE VIEW u AS SELECT * FROM w");
    update(root, "DROP VIEW w");
    String broken = failsWith("42000", () -> rows(plain, "SELECT * FROM u"));
    assertMessage("view \"u\" is invalid: Object 'w' not found", broken);
    assertEquals(Set.of("tpch.u", "tpch.v"), listedViews(plain));
    update(root, "DROP VIEW u");
    update(root, "CREATE VIEW w AS SELECT * FROM v");

    // Tables are not views.
    String table = failsWith("42P07", () -> update(root, "CREATE VIEW nation AS SELECT 1"));
    assertMessage("relation \"nation\" already exists", table);
    String notView = failsWith("42809",
        () -> update(root, "CREATE OR REPLACE VIEW Nation AS SELECT 1"));
    assertMessage("\"nation\" is not a view", notView);
    failsWith("42809", () -> update(root, "DROP VIEW nation"));
    failsWith("42809", () -> update(root, "DROP VIEW IF EXISTS nation"));
    assertEquals(List.of(25L), column(plain, "SELECT COUNT(*) FROM nation"));

    // Schemas that do not exist or hold no views.
    String schema = failsWith("3F000", () -> update(root, "CREATE VIEW nope.v AS SELECT 1"));
    assertMessage("schema \"nope\" does not exist", schema);
    failsWith("3F000", () -> update(root, "DROP VIEW nope.v"));
    assertEquals(0, update(root, "DROP VIEW IF EXISTS nope.v"));
    String system = failsWith("42501",
        () -> update(root, "CREATE VIEW quell_internal.v AS SELECT 1"));
    assertMessage("schema quell_internal cannot be modified", system);
    failsWith("42501", () -> update(root, "DROP VIEW quell_internal.node_sessions"));

    assertEquals(Set.of("tpch.v", "tpch.w"), listedViews(root));
  }

  @Test void viewsSurviveARestart() throws Exception {
    update(root, "CREATE VIEW kept AS SELECT n_nationkey, n_name FROM nation"
        + " WHERE n_nationkey > 20");
    update(root, "CREATE VIEW kept_sessions AS SHOW SESSIONS");
    update(root, "CREATE VIEW dropped AS SELECT 1 AS n");
    update(root, "DROP VIEW dropped");
    f.close();
    f = new EngineFixture(dir, 0.01);
    Connection again = f.connect("plain");
    assertEquals(NATIONS_ABOVE_20, nationsAbove(again, "kept"));
    assertEquals(List.of("plain"), column(again, "SELECT user_name FROM kept_sessions"));
    assertEquals(Set.of("tpch.kept", "tpch.kept_sessions"), listedViews(again));
  }

  @Test void databaseMetaDataShowsViewsAsViews() throws Exception {
    update(root, "CREATE VIEW v (k, name) AS SELECT n_nationkey, n_name FROM nation");
    DatabaseMetaData meta = plain.getMetaData();
    List<String> types = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, "tpch", "v", null)) {
      while (rs.next()) {
        types.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
      }
    }
    assertEquals(List.of("v:VIEW"), types);
    try (ResultSet rs = meta.getTables(null, "tpch", "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        assertTrue(!rs.getString("TABLE_NAME").equals("v"), "a view listed as a table");
      }
    }
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = meta.getColumns(null, "tpch", "v", "%")) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
      }
    }
    assertEquals(List.of("k:BIGINT NOT NULL", "name:VARCHAR NOT NULL"), columns);
  }
}
