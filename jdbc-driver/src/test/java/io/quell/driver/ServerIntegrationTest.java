package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.client.ServerFailure;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.remote.Service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real server on loopback, real JDBC clients, several users at once. */
@Timeout(120)
class ServerIntegrationTest {
  static final String CPU_BOUND = "SELECT l.l_returnflag, COUNT(*) FROM lineitem l, orders o "
      + "WHERE l.l_orderkey + o.o_orderkey < 0 GROUP BY l.l_returnflag";

  @TempDir Path dir;
  ServerFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(dir);
    root = f.root();
    update(root, "CREATE USER maxroach WITH PASSWORD 'roach'");
    update(root, "CREATE USER ops WITH PASSWORD 'ops' CANCELQUERY VIEWACTIVITY");
  }

  @AfterEach void stop() {
    f.close();
  }


  static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static String sqlState(SQLException e) {
    return e.getSQLState();
  }

  private CompletableFuture<SQLException> run(Statement statement, String sql) {
    return CompletableFuture.supplyAsync(() -> {
      try (ResultSet rs = statement.executeQuery(sql)) {
        while (rs.next()) {
          // drain
        }
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
  }

  private String waitForQuery(Connection viewer, String user) throws Exception {
    for (int i = 0; i < 400; i++) {
      List<String> ids = strings(viewer, "SELECT query_id FROM (SHOW QUERIES) AS q WHERE "
          + "user_name = '" + user + "' AND phase = 'executing'");
      if (!ids.isEmpty()) {
        return ids.get(0);
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no running query of " + user);
  }

  @Test void seedPageOverHttp() throws Exception {
    Connection m1 = f.connect("maxroach", "roach");
    Connection m2 = f.connect("maxroach", "roach");
    List<String> users = strings(root, "SELECT user_name FROM (SHOW SESSIONS) AS s");
    assertEquals(List.of("maxroach", "maxroach", "root"), users.stream().sorted().toList());
    List<String> addresses = strings(root, "SELECT client_address FROM (SHOW SESSIONS) AS s");
    assertTrue(addresses.stream().allMatch(a -> a.matches("127\\.0\\.0\\.1:\\d+")), addresses.toString());
    String id = strings(m1, "SHOW session_id").get(0);
    assertEquals(1, update(root, "CANCEL SESSION '" + id + "'"));
    SQLException e = assertThrows(SQLException.class, () -> strings(m1, "SELECT 1"));
    assertEquals("57P01", e.getSQLState());
    assertTrue(m1.isClosed(), "a cancelled session reports closed");
    assertEquals(1, update(root, "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x\n"
        + "      WHERE user_name = 'maxroach')"));
    assertThrows(SQLException.class, () -> strings(m2, "SELECT 1"));
    assertTrue(m2.isClosed());
  }

  @Test void oneUserCancelsAnothersLongQuery() throws Exception {
    Connection victim = f.connect("maxroach", "roach");
    Connection ops = f.connect("ops", "ops");
    CompletableFuture<SQLException> outcome = run(victim.createStatement(), CPU_BOUND);
    String queryId = waitForQuery(ops, "maxroach");
    Thread.sleep(500);
    long before = serverCpuNanos();
    assertEquals(1, update(ops, "CANCEL QUERY '" + queryId + "'"));
    SQLException error = outcome.get(5, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertCpuReleased(before);
    assertEquals(List.of("1"), strings(victim, "SELECT 1"));
  }

  @Test void statementCancelStopsTheQueryOnTheServer() throws Exception {
    Connection client = f.connect("maxroach", "roach");
    Statement statement = client.createStatement();
    CompletableFuture<SQLException> outcome = run(statement, CPU_BOUND);
    waitForQuery(root, "maxroach");
    statement.cancel();
    SQLException error = outcome.get(5, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    Thread.sleep(200);
    assertTrue(strings(root, "SELECT query_id FROM quell_internal.node_queries "
        + "WHERE user_name = 'maxroach'").isEmpty(), "the server stopped the query");
    // the cancel channel is internal: hidden from SHOW SESSIONS, listed by SHOW ALL SESSIONS
    assertEquals(1, strings(root, "SELECT session_id FROM (SHOW SESSIONS) AS s "
        + "WHERE user_name = 'maxroach'").size());
    assertEquals(2, strings(root, "SELECT session_id FROM (SHOW ALL SESSIONS) AS s "
        + "WHERE user_name = 'maxroach'").size());
  }

  @Test void queryTimeoutIsHonouredOnTheServer() throws Exception {
    Connection client = f.connect("maxroach", "roach");
    Statement statement = client.createStatement();
    statement.setQueryTimeout(1);
    long start = System.nanoTime();
    SQLException e = assertThrows(SQLException.class, () -> statement.executeQuery(CPU_BOUND));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("57014", e.getSQLState());
    assertTrue(ms < 3000, "timed out after " + ms + " ms");
  }

  @Test void wrongPasswordAndNologinAreRefused() throws Exception {
    SQLException wrong = assertThrows(SQLException.class, () -> f.connect("maxroach", "nope"));
    assertEquals("28P01", wrong.getSQLState());
    update(root, "CREATE ROLE readers");
    assertThrows(SQLException.class, () -> f.connect("readers", ""));
    assertEquals(1, strings(root, "SELECT session_id FROM (SHOW SESSIONS) AS s").size());
  }

  /** The server reads BASIC credentials as UTF-8, as its challenge says; so must the driver. */
  @Test void aPasswordBeyondAsciiLogsIn() throws Exception {
    update(root, "CREATE USER zoe WITH PASSWORD 'pässwörd €5 密码'");
    try (Connection zoe = f.connect("zoe", "pässwörd €5 密码")) {
      assertEquals(List.of("zoe"), strings(zoe, "SELECT CURRENT_USER"));
    }
    SQLException wrong = assertThrows(SQLException.class,
        () -> f.connect("zoe", "passwoerd €5 密码"));
    assertEquals("28P01", wrong.getSQLState());
  }

  @Test void anotherUsersConnectionIdIsRefused() throws Exception {
    Connection victim = f.connect("maxroach", "roach");
    Connection thief = f.connect("ops", "ops");
    String victimConnectionId = victim.unwrap(AvaticaConnection.class).id;
    Service service = thief.unwrap(AvaticaConnection.class).getService();
    SQLException e = ServerFailure.unwrap(assertThrows(ServerFailure.class,
        () -> service.apply(new Service.CreateStatementRequest(victimConnectionId))));
    assertEquals("08003", e.getSQLState());
    assertFalse(e.getMessage().contains(victimConnectionId), "ids never appear in errors");
    assertEquals(List.of("1"), strings(victim, "SELECT 1"));
  }

  @Test void plainAvaticaDriverWorks() throws Exception {
    String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + f.server.port()
        + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;avatica_password="
        + ServerFixture.ROOT_PASSWORD;
    try (Connection c = DriverManager.getConnection(url)) {
      List<String> users = strings(c, "SELECT user_name FROM (SHOW SESSIONS) AS s");
      assertEquals(2, users.size());
      String other = strings(root, "SHOW session_id").get(0);
      assertEquals(1, update(c, "CANCEL SESSION '" + other + "'"));
    }
  }

  @Test void abandonedConnectionExpiresWithItsSession() throws Exception {
    f.close();
    f = new ServerFixture(dir.resolve("expiring"), Duration.ofSeconds(2));
    root = f.root();
    update(root, "SET application_name = 'keeper'");
    Connection abandoned = f.connect("root", ServerFixture.ROOT_PASSWORD, "abandoned");
    assertEquals(2, f.server.engine().registry().sessions().size());
    for (int i = 0; i < 40 && f.server.engine().registry().sessions().size() > 0; i++) {
      Thread.sleep(200);
    }
    assertEquals(0, f.server.engine().registry().sessions().size());
    assertThrows(SQLException.class, () -> strings(abandoned, "SELECT 1"));
  }

  /** CPU time of the server's request threads. */
  private static long serverCpuNanos() {
    java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : bean.getAllThreadIds()) {
      java.lang.management.ThreadInfo info = bean.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith("qtp")) {
        total += Math.max(0, bean.getThreadCpuTime(id));
      }
    }
    return total;
  }

  /** After a cancel, the server's threads go quiet: under 100 ms of CPU in the next second. */
  private static void assertCpuReleased(long ignored) throws InterruptedException {
    Thread.sleep(300);
    long a = serverCpuNanos();
    Thread.sleep(1000);
    long used = serverCpuNanos() - a;
    assertTrue(used < TimeUnit.MILLISECONDS.toNanos(100),
        "server threads used " + used / 1_000_000 + " ms CPU after the cancel");
  }
}
