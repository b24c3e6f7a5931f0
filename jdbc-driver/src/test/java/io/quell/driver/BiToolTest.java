package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JDBC calls DBeaver makes when it opens a connection in manual-commit mode and browses a
 * schema, over {@code jdbc:quell://} against a real server; and what such a tool shows of
 * errors and of its session.
 */
@Timeout(120)
class BiToolTest {
  /** What Avatica's client wrapped around every error before. */
  private static final Pattern TRANSPORT_WRAPPING =
      Pattern.compile("Error -?\\d+ \\(|Error while executing|Remote driver error|while preparing");

  @TempDir static Path dir;
  static ServerFixture f;

  @BeforeAll static void start() throws Exception {
    f = new ServerFixture(dir);
    try (Connection root = f.root()) {
      update(root, "CREATE USER analyst WITH PASSWORD 'bi-secret'");
    }
  }

  @AfterAll static void stop() {
    f.close();
  }

  @Test void dbeaverOpensAConnectionAndBrowsesTheSchema() throws Exception {
    Connection c = f.connect("analyst", "bi-secret");
    DatabaseMetaData md = c.getMetaData();
    assertEquals("Quell JDBC Driver", md.getDriverName());
    assertTrue(md.getDriverVersion().matches("\\d+\\.\\d+\\.\\d+.*"), md.getDriverVersion());
    assertFalse(md.getDatabaseProductName().isEmpty());
    assertFalse(md.getDatabaseProductVersion().isEmpty());
    assertEquals("analyst", md.getUserName());
    assertEquals("\"", md.getIdentifierQuoteString());
    assertTrue(md.getURL().startsWith("jdbc:quell://"), md.getURL());
    for (String functions : List.of(md.getSQLKeywords(), md.getNumericFunctions(),
        md.getStringFunctions(), md.getSystemFunctions(), md.getTimeDateFunctions())) {
      assertTrue(functions != null, "function lists are answered");
    }
    assertFalse(md.isReadOnly());
    assertFalse(c.isReadOnly());

    // manual-commit mode, as DBeaver's "manual commit" and connection pools use it
    assertTrue(md.supportsTransactions());
    assertTrue(c.getAutoCommit());
    c.setAutoCommit(false);
    assertFalse(c.getAutoCommit());
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, md.getDefaultTransactionIsolation());
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
    assertTrue(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_READ_COMMITTED));
    assertFalse(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE));
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    SQLException level = assertThrows(SQLException.class,
        () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
    assertEquals("0A000", level.getSQLState());
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
    c.commit();
    c.rollback();

    List<String> types = new ArrayList<>();
    try (ResultSet rs = md.getTypeInfo()) {
      while (rs.next()) {
        types.add(rs.getString("TYPE_NAME"));
      }
    }
    assertTrue(types.contains("VARCHAR") && types.contains("INTEGER"), types.toString());
    List<String> catalogs = column(md.getCatalogs(), "TABLE_CAT");
    assertFalse(catalogs.isEmpty());
    List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
    assertTrue(schemas.containsAll(List.of("tpch", "quell_internal")), schemas.toString());
    List<String> tableTypes = column(md.getTableTypes(), "TABLE_TYPE");
    assertTrue(tableTypes.contains("TABLE"), tableTypes.toString());
    List<String> all = new ArrayList<>();
    for (String type : tableTypes) {
      all.addAll(column(md.getTables(null, null, "%", new String[] {type}), "TABLE_NAME"));
    }
    assertTrue(all.containsAll(List.of("lineitem", "orders", "nation")), all.toString());
    // Calcite lists TABLE and VIEW only; the system tables come with a null type filter
    assertTrue(column(md.getTables(null, "quell_internal", "%", null), "TABLE_NAME")
        .contains("node_sessions"));
    assertEquals(List.of("nation"), column(md.getTables(null, "tpch", "nat%", null),
        "TABLE_NAME"));
    List<String> columns = column(md.getColumns(null, "tpch", "nation", "%"), "COLUMN_NAME");
    assertEquals(List.of("n_nationkey", "n_name", "n_regionkey", "n_comment"), columns);
    try (ResultSet rs = md.getColumns(null, "tpch", "nation", "n_name")) {
      assertTrue(rs.next());
      assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
    }
    md.getPrimaryKeys(null, "tpch", "nation").close();
    md.getImportedKeys(null, "tpch", "nation").close();

    // the data editor's first page
    try (Statement s = c.createStatement()) {
      s.setMaxRows(200);
      s.setFetchSize(50);
      int rows = 0;
      try (ResultSet rs = s.executeQuery("SELECT * FROM lineitem")) {
        while (rs.next()) {
          rows++;
        }
      }
      assertEquals(200, rows);
    }
    c.commit();
    // the session lives on in manual-commit mode
    assertEquals(List.of("1"), strings(c, "SELECT 1"));
  }

  @Test void theSessionKnowsItsUser() throws Exception {
    Connection c = f.connect("analyst", "bi-secret");
    assertEquals(List.of("analyst"), strings(c, "SELECT SESSION_USER"));
    assertEquals(List.of("analyst"), strings(c, "SELECT CURRENT_USER"));
    assertEquals(List.of("analyst"), strings(c, "SELECT USER"));
    assertEquals(List.of("analyst"), strings(c, "SHOW session_user"));
    try (PreparedStatement p = c.prepareStatement(
        "SELECT SESSION_USER FROM (VALUES 1) WHERE CAST(? AS INTEGER) = 1")) {
      p.setInt(1, 1);
      try (ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("analyst", rs.getString(1));
      }
    }
  }

  @Test void userStatementsTakeEffectAtOnceInManualCommitMode() throws Exception {
    Connection root = f.root();
    root.setAutoCommit(false);
    update(root, "CREATE USER intern WITH PASSWORD 'intern-pw'");
    root.rollback();
    try (Connection intern = f.connect("intern", "intern-pw")) {
      assertEquals(List.of("intern"), strings(intern, "SELECT SESSION_USER"));
    }
    update(root, "DROP USER intern");
    SQLException gone = assertThrows(SQLException.class, () -> f.connect("intern", "intern-pw"));
    assertEquals("28P01", gone.getSQLState());
  }

  @Test void errorsAreTheServersOwn() throws Exception {
    Connection c = f.connect("analyst", "bi-secret");
    SQLException table = assertThrows(SQLException.class,
        () -> strings(c, "SELECT * FROM no_such_table"));
    assertClean(table);
    assertTrue(table.getMessage().contains("no_such_table"), table.getMessage());
    SQLException prepare = assertThrows(SQLException.class,
        () -> c.prepareStatement("SELEC 1"));
    assertEquals("42601", prepare.getSQLState());
    assertClean(prepare);
    SQLException privilege = assertThrows(SQLException.class,
        () -> update(c, "CREATE USER x WITH PASSWORD 'x'"));
    assertEquals("42501", privilege.getSQLState());
    assertClean(privilege);
    try (PreparedStatement p = c.prepareStatement("CANCEL SESSION ?")) {
      p.setString(1, "not-an-id");
      SQLException malformed = assertThrows(SQLException.class, p::executeUpdate);
      assertEquals("22023", malformed.getSQLState());
      assertEquals("could not parse session ID 'not-an-id'", malformed.getMessage());
    }
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      SQLException timeout = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT pg_sleep(30)").next());
      assertEquals("57014", timeout.getSQLState());
      assertEquals("query execution canceled", timeout.getMessage());
    }
  }

  private static void assertClean(SQLException e) {
    assertFalse(TRANSPORT_WRAPPING.matcher(e.getMessage()).find(), e.getMessage());
    assertEquals(5, e.getSQLState().length(), e.getSQLState());
    assertTrue(e.getErrorCode() >= 1_000_000, "the error id is the vendor code");
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(name));
      }
    }
    return out;
  }
}
