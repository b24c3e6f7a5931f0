package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The BI tool's view: {@code quell-jdbc-<version>.jar} alone, in a class loader of its own that
 * sees nothing but the JDK, against a real server started here on a free loopback port. The
 * seed page's walkthrough, the metadata calls a tool makes, and a {@code Statement.cancel()}
 * that stops the query on the server.
 */
@Timeout(180)
class StandaloneJarIT {
  @TempDir static Path dir;
  static ServerFixture server;
  static URLClassLoader jarOnly;
  static Driver driver;

  @BeforeAll static void start() throws Exception {
    Path jar = Path.of(System.getProperty("quell.jdbc.jar"));
    assertTrue(Files.isRegularFile(jar), jar + " was built");
    server = new ServerFixture(dir);
    try (Connection root = server.root(); Statement s = root.createStatement()) {
      s.executeUpdate("CREATE USER maxroach WITH PASSWORD 'roach'");
    }
    jarOnly = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    PrintStream err = System.err;
    ByteArrayOutputStream loading = new ByteArrayOutputStream();
    System.setErr(new PrintStream(loading, true, StandardCharsets.UTF_8));
    try {
      List<Driver> drivers = new ArrayList<>();
      ServiceLoader.load(Driver.class, jarOnly).forEach(drivers::add);
      assertEquals(1, drivers.size(), "the jar registers one driver: " + drivers);
      driver = drivers.get(0);
      assertEquals("io.quell.driver.QuellDriver", driver.getClass().getName());
      assertEquals(jarOnly, driver.getClass().getClassLoader());
      connect("root", ServerFixture.ROOT_PASSWORD).close();
    } finally {
      System.setErr(err);
    }
    String warnings = loading.toString(StandardCharsets.UTF_8);
    assertFalse(warnings.contains("SLF4J"), warnings);
  }

  @AfterAll static void stop() throws Exception {
    server.close();
    jarOnly.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return driver.connect(server.url(), props);
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    return ServerIntegrationTest.strings(c, sql);
  }

  @Test void holdsTheDriverAndNoneOfTheEngine() throws Exception {
    try (JarFile jar = new JarFile(System.getProperty("quell.jdbc.jar"))) {
      List<String> foreign = jar.stream().map(e -> e.getName())
          .filter(n -> n.endsWith(".class"))
          .filter(n -> !n.startsWith("io/quell/driver/") && !n.startsWith("io/quell/client/")
              && !n.startsWith("org/apache/calcite/avatica/"))
          .toList();
      assertEquals(List.of(), foreign, "classes outside the driver and Avatica's client");
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/quell/engine/")
          || e.getName().startsWith("org/apache/calcite/jdbc/")
          || e.getName().startsWith("org/h2/")));
    }
  }

  @Test void seedPageWalkthrough() throws Exception {
    try (Connection root = connect("root", ServerFixture.ROOT_PASSWORD);
         Connection m1 = connect("maxroach", "roach");
         Connection m2 = connect("maxroach", "roach")) {
      assertEquals(List.of("maxroach", "maxroach", "root"), strings(root,
          "SELECT user_name FROM (SHOW SESSIONS) AS s ORDER BY user_name"));
      String id = strings(m1, "SHOW session_id").get(0);
      assertTrue(id.matches("[0-9a-f]{16}0000000000000001"), id);
      try (Statement s = root.createStatement()) {
        assertEquals(1, s.executeUpdate("CANCEL SESSION '" + id + "'"));
      }
      SQLException canceled = assertThrows(SQLException.class, () -> strings(m1, "SELECT 1"));
      assertEquals("57P01", canceled.getSQLState());
      assertEquals("session was canceled", canceled.getMessage());
      assertTrue(m1.isClosed());
      try (Statement s = root.createStatement()) {
        assertEquals(1, s.executeUpdate("CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT "
            + "session_id FROM x\n      WHERE user_name = 'maxroach')"));
      }
      assertEquals("57P01",
          assertThrows(SQLException.class, () -> strings(m2, "SELECT 1")).getSQLState());
      assertTrue(m2.isClosed());
      assertEquals(List.of("root"),
          strings(root, "SELECT user_name FROM (SHOW SESSIONS) AS s"));
      assertTrue(strings(root, "SELECT target_user FROM quell_internal.cancellations")
          .containsAll(List.of("maxroach", "maxroach")));
    }
  }

  @Test void metadataCalls() throws Exception {
    try (Connection c = connect("maxroach", "roach")) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Quell JDBC Driver", md.getDriverName());
      assertEquals("maxroach", md.getUserName());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, "tpch", "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("lineitem", "nation", "orders")), tables.toString());
      try (ResultSet rs = md.getColumns(null, "tpch", "region", "%")) {
        assertTrue(rs.next());
        assertEquals("r_regionkey", rs.getString("COLUMN_NAME"));
      }
      try (ResultSet rs = md.getTypeInfo()) {
        assertTrue(rs.next());
      }
      c.setAutoCommit(false);
      assertEquals(List.of("maxroach"), strings(c, "SELECT SESSION_USER"));
      c.commit();
      SQLException wrong = assertThrows(SQLException.class, () -> connect("maxroach", "nope"));
      assertEquals("28P01", wrong.getSQLState());
    }
  }

  @Test void statementCancelStopsTheQueryOnTheServer() throws Exception {
    try (Connection c = connect("maxroach", "roach");
         Connection root = connect("root", ServerFixture.ROOT_PASSWORD)) {
      Statement statement = c.createStatement();
      CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = statement.executeQuery(ServerIntegrationTest.CPU_BOUND)) {
          rs.next();
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      for (int i = 0; i < 400 && strings(root, "SELECT query_id FROM (SHOW QUERIES) AS q "
          + "WHERE user_name = 'maxroach' AND phase = 'executing'").isEmpty(); i++) {
        Thread.sleep(25);
      }
      statement.cancel();
      SQLException e = outcome.get(10, TimeUnit.SECONDS);
      assertEquals("57014", e.getSQLState(), String.valueOf(e));
      assertEquals("query execution canceled", e.getMessage());
      assertEquals(List.of("1"), strings(c, "SELECT 1"));
      assertTrue(strings(root, "SELECT query_id FROM quell_internal.node_queries "
          + "WHERE user_name = 'maxroach'").isEmpty(), "the server stopped the query");
    }
  }
}
