package io.quell.cluster;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.catalog.NodePrincipal;
import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;
import io.quell.testing.LogCapture;
import io.quell.testing.LoopbackProxy;
import io.quell.testing.TestKeystore;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Three Quell nodes on loopback ports, members of one cluster through a real ZooKeeper
 * (Curator's in-process test server), sharing one user catalog, reached by the Avatica remote
 * driver over HTTP as any client would.
 */
class ClusterTest {
  private static final String ROOT_PASSWORD = "root-secret";
  private static final String SECRET = "cluster-test-secret-0123456789";
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration PEER_DEADLINE = Duration.ofSeconds(5);
  private static final String CLUSTER = "test";
  private static final String CATALOG =
      "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  private static TestingServer zookeeper;
  private static final List<QuellServer> NODES = new ArrayList<>();
  private static final List<Connection> CONNECTIONS = new ArrayList<>();

  @BeforeAll static void startCluster() throws Exception {
    zookeeper = new TestingServer(true);
    for (int i = 0; i < 3; i++) {
      NODES.add(startNode(0));
    }
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    update(root, "CREATE USER alice WITH PASSWORD 'alice-pw'");
    update(root, "CREATE USER bob WITH PASSWORD 'bob-pw'");
    update(root, "CREATE USER carol WITH PASSWORD 'carol-pw' VIEWACTIVITYREDACTED");
    for (QuellServer node : NODES) {
      eventually("node " + node.engine().registry().nodeId() + " sees both peers",
          () -> node.cluster().get().membership().peers().size() == 2);
    }
  }

  @AfterAll static void stopCluster() throws Exception {
    for (Connection c : CONNECTIONS) {
      try {
        c.close();
      } catch (SQLException | RuntimeException e) {
        // The test ended this session or killed its node.
      }
    }
    NODES.forEach(QuellServer::close);
    zookeeper.close();
  }

  private static QuellServer startNode(long nodeId) throws Exception {
    return startNode(nodeId, zookeeper.getConnectString(), CLUSTER, null);
  }

  private static QuellServer startNode(long nodeId, String zookeeperAddress, String cluster,
      QuellServer.Tls tls) throws Exception {
    return QuellServer.builder(EngineConfig.builder().catalogUrl(CATALOG)
            .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).build())
        .host("127.0.0.1").port(0).tls(tls)
        .cluster(new ClusterConfig(zookeeperAddress, cluster, nodeId, SECRET,
            SESSION_TIMEOUT, PEER_DEADLINE), null).start();
  }

  /** The member with node id {@code id}. */
  private static QuellServer node(long id) {
    return NODES.stream().filter(n -> n.engine().registry().nodeId() == id).findFirst()
        .orElseThrow();
  }

  private static Connection connect(QuellServer node, String user, String password)
      throws SQLException {
    return connect(node, null, user, password);
  }

  /** Over HTTPS trusting {@code tls}'s keystore, or plain HTTP if it is null. */
  private static Connection connect(QuellServer node, QuellServer.Tls tls, String user,
      String password) throws SQLException {
    Properties info = new Properties();
    info.setProperty("url", (tls == null ? "http" : "https") + "://127.0.0.1:" + node.port());
    if (tls != null) {
      info.setProperty("truststore", tls.keystore().getPath());
      info.setProperty("truststore_password", tls.password());
    }
    info.setProperty("serialization", "PROTOBUF");
    info.setProperty("authentication", "BASIC");
    info.setProperty("avatica_user", user);
    info.setProperty("avatica_password", password);
    info.setProperty("applicationName", "cluster-test");
    Connection c = new Driver().connect("jdbc:avatica:remote:", info);
    CONNECTIONS.add(c);
    return c;
  }

  /**
   * Registers member {@code id} at {@code address} in ZooKeeper, as a node would, without a
   * node behind it; it stays until the returned client is closed. Returns once node 1 lists it.
   */
  private static CuratorFramework fakeMember(long id, String address) throws Exception {
    CuratorFramework fake = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
        new RetryOneTime(100));
    fake.start();
    fake.create().withMode(CreateMode.EPHEMERAL).forPath("/quell/" + CLUSTER + "/members/" + id,
        address.getBytes(StandardCharsets.UTF_8));
    eventually("node 1 lists member " + id, () ->
        node(1).cluster().get().membership().peers().containsKey(id));
    return fake;
  }

  /** (node_id, session_id) of every row of {@code show}. */
  private static Set<List<Object>> sessions(Connection c, String show) throws SQLException {
    Set<List<Object>> sessions = new HashSet<>();
    for (List<Object> row : rows(c, show)) {
      sessions.add(List.of(row.get(0), row.get(1)));
    }
    return sessions;
  }

  private static void eventually(String what, BooleanSupplier condition)
      throws InterruptedException {
    within(Duration.ofSeconds(60), what, condition);
  }

  private static void within(Duration limit, String what, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static BooleanSupplier quietly(SqlCondition condition) {
    return () -> {
      try {
        return condition.test();
      } catch (SQLException e) {
        return false;
      }
    };
  }

  /** A condition that reads through JDBC. */
  @FunctionalInterface
  private interface SqlCondition {
    boolean test() throws SQLException;
  }

  @Test void sessionsOfEveryNodeAreVisibleFromEachAndLocalStaysLocal() throws Exception {
    List<Connection> roots = new ArrayList<>();
    Set<List<Object>> all = new HashSet<>();
    for (long id = 1; id <= 3; id++) {
      Connection c = connect(node(id), "root", ROOT_PASSWORD);
      roots.add(c);
      all.add(List.of((int) id, sessionId(c)));
    }
    for (int i = 0; i < 3; i++) {
      Connection c = roots.get(i);
      int nodeId = i + 1;
      Set<List<Object>> cluster = sessions(c, "SHOW CLUSTER SESSIONS");
      assertTrue(cluster.containsAll(all), () -> "node " + nodeId + " shows " + cluster);
      assertTrue(sessions(c, "SHOW SESSIONS").containsAll(all), "SHOW SESSIONS is cluster-wide");
      Set<List<Object>> local = sessions(c, "SHOW LOCAL SESSIONS");
      assertTrue(local.contains(List.of(nodeId, sessionId(c))));
      assertTrue(local.stream().allMatch(r -> r.get(0).equals(nodeId)), local::toString);
      // Members call each other without sessions: nothing of theirs to list, even to SHOW ALL.
      assertFalse(column(c, "SELECT \"user_name\" FROM (SHOW ALL CLUSTER SESSIONS)")
          .contains(NodePrincipal.NAME));
    }
  }

  @Test void cancelFromNode1StopsAQueryRunningOnNode3() throws Exception {
    Connection victim = connect(node(3), "alice", "alice-pw");
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> assertThrows(
        SQLException.class, () -> rows(victim, "SELECT pg_sleep(60)")));
    String sql = "SELECT \"query_id\" FROM (SHOW CLUSTER QUERIES) WHERE \"node_id\" = 3 "
        + "AND \"query\" = 'SELECT pg_sleep(60)'";
    eventually("node 1 sees the query on node 3",
        quietly(() -> column(root, sql).size() == 1));
    String queryId = (String) column(root, sql).get(0);
    assertEquals(1, update(root, "CANCEL QUERY '" + queryId + "'"));
    SQLException error = running.get(60, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertEquals(List.of(List.of("root", "alice", "STATEMENT")), rows(root,
        "SELECT \"canceled_by\", \"target_user\", \"cause\" FROM \"quell_internal\"."
            + "\"cancellations\" WHERE \"target_id\" = '" + queryId + "'"),
        "audited once, under the real caller");
    assertEquals(List.of(true), column(victim, "SELECT pg_sleep(0.01)"),
        "the session survives a canceled query");
    String msg = failsWith("42704", () -> update(root, "CANCEL QUERY '" + queryId + "'"));
    assertTrue(msg.contains("query ID " + queryId + " not found"), msg);
  }

  @Test void aCancelMessageTravelsToTheVictimOnAnotherNode() throws Exception {
    Connection victim = connect(node(2), "alice", "alice-pw");
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> assertThrows(
        SQLException.class, () -> rows(victim, "SELECT pg_sleep(61)")));
    String sql = "SELECT \"session_id\" FROM (SHOW CLUSTER QUERIES) WHERE \"node_id\" = 2 "
        + "AND \"query\" = 'SELECT pg_sleep(61)'";
    eventually("node 1 sees the query on node 2",
        quietly(() -> column(root, sql).size() == 1));
    String sessionId = (String) column(root, sql).get(0);
    String message = "node 2 restarts for an upgrade, it's \"quick\"";
    assertEquals(1, update(root, "CANCEL SESSION '" + sessionId + "' WITH MESSAGE '"
        + message.replace("'", "''") + "'"));
    SQLException error = running.get(60, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertTrue(error.getMessage().contains("message from the canceler: \"" + message + "\""),
        error.getMessage());
    String later = failsWith("57P01", () -> column(victim, "SELECT 1"));
    assertTrue(later.contains("session was canceled, message from the canceler: \"" + message
        + "\""), later);
    assertEquals(List.of(List.of("root", "alice", message)), rows(root,
        "SELECT \"canceled_by\", \"target_user\", \"message\" FROM \"quell_internal\"."
            + "\"cancellations\" WHERE \"target_id\" = '" + sessionId + "'"),
        "audited once, under the real caller, with the message");
  }

  @Test void tagsOfQueriesOnOtherNodesAreListed() throws Exception {
    Connection victim = connect(node(3), "alice", "alice-pw");
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    String tagged = "SELECT pg_sleep(62) /*controller='dashboard',route='%2Fq1'*/";
    CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> assertThrows(
        SQLException.class, () -> rows(victim, tagged)));
    String sql = "SELECT \"query_tags\" FROM (SHOW CLUSTER QUERIES) WHERE \"node_id\" = 3 "
        + "AND \"query\" LIKE 'SELECT pg_sleep(62)%'";
    eventually("node 1 sees the query on node 3",
        quietly(() -> column(root, sql).size() == 1));
    assertEquals(List.of("controller=dashboard,route=/q1"), column(root, sql));
    assertEquals(List.of("controller=dashboard,route=/q1"), column(root,
        "SELECT \"active_query_tags\" FROM (SHOW CLUSTER SESSIONS) WHERE \"node_id\" = 3 "
            + "AND \"active_queries\" LIKE 'SELECT pg_sleep(62)%'"));
    assertEquals(1, update(root, "CANCEL QUERIES (SELECT \"query_id\" FROM (SHOW CLUSTER "
        + "QUERIES) WHERE \"query_tags\" LIKE '%controller=dashboard%')"));
    assertEquals("57014", running.get(60, TimeUnit.SECONDS).getSQLState());
  }

  @Test void aConnectionLimitCountsTheSessionsOfEveryMember() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    update(root, "CREATE USER limited WITH PASSWORD 'limited-pw' CONNECTION LIMIT 2");
    connect(node(1), "limited", "limited-pw");
    connect(node(2), "limited", "limited-pw");
    eventually("node 3 sees both sessions", quietly(() -> column(root,
        "SELECT \"session_id\" FROM (SHOW CLUSTER SESSIONS) "
            + "WHERE \"user_name\" = 'limited'").size() == 2));
    // Avatica's own client reports a refused connect unchecked (Quell's driver: SQLException).
    AvaticaClientRuntimeException refused = assertThrows(AvaticaClientRuntimeException.class,
        () -> connect(node(3), "limited", "limited-pw"));
    assertEquals("53300", refused.getSqlState());
    assertTrue(refused.getMessage().contains("too many connections for role \"limited\""),
        refused.getMessage());
    assertEquals(List.of(2L), column(root, "SELECT COUNT(*) FROM (SHOW CLUSTER SESSIONS) "
        + "WHERE \"user_name\" = 'limited'"), "the refused login left no session");
    update(root, "ALTER USER limited CONNECTION LIMIT 3");
    // Node 3 learns the new limit when its cached copy of the role expires.
    eventually("node 3 admits a third session once the limit is raised", () -> {
      try {
        return connect(node(3), "limited", "limited-pw") != null;
      } catch (AvaticaClientRuntimeException | SQLException stillAtTheLimit) {
        return false;
      }
    });
  }

  @Test void anIdOfAnUnknownNodeIsNotFound() throws Exception {
    Connection root = connect(node(2), "root", ROOT_PASSWORD);
    String id = String.format(Locale.ROOT, "%016x%016x", 1L, 77L);
    String msg = failsWith("42704", () -> update(root, "CANCEL SESSION '" + id + "'"));
    assertTrue(msg.contains("session ID " + id + " not found"), msg);
    assertEquals(0, update(root, "CANCEL SESSION IF EXISTS '" + id + "'"));
  }

  @Test void privilegesOfTheCallerApplyToOtherNodesRows() throws Exception {
    Connection bob = connect(node(1), "bob", "bob-pw");
    String bobSession = sessionId(bob);
    Connection alice = connect(node(2), "alice", "alice-pw");
    assertEquals(List.of("alice"), column(alice,
        "SELECT DISTINCT \"user_name\" FROM (SHOW CLUSTER SESSIONS)"));
    String msg = failsWith("42501",
        () -> update(alice, "CANCEL SESSION '" + bobSession + "'"));
    assertTrue(msg.contains("CANCELQUERY"), msg);
    assertEquals(List.of(true), column(bob, "SELECT pg_sleep(0.01)"), "bob is still there");

    assertEquals(1, rows(bob, "SELECT 'bob-secret-literal' FROM (VALUES 1)").size());
    String lastQuery = "SELECT \"last_active_query\" FROM (SHOW CLUSTER SESSIONS) "
        + "WHERE \"session_id\" = '" + bobSession + "'";
    Connection root = connect(node(3), "root", ROOT_PASSWORD);
    assertTrue(((String) column(root, lastQuery).get(0)).contains("bob-secret-literal"));
    Connection carol = connect(node(3), "carol", "carol-pw");
    String redacted = (String) column(carol, lastQuery).get(0);
    assertTrue(redacted.startsWith("SELECT") && !redacted.contains("bob-secret-literal"),
        redacted);
  }

  @Test void everyMembersStatementStatisticsAreListedUnderTheCallersPrivileges()
      throws Exception {
    rows(connect(node(2), "bob", "bob-pw"), "SELECT 'stats-secret' AS marker FROM (VALUES 1)");
    rows(connect(node(3), "bob", "bob-pw"), "SELECT 'stats-secret' AS marker FROM (VALUES 2)");
    String sql = "SELECT node_id, query, calls FROM quell_internal.cluster_statement_statistics "
        + "WHERE fingerprint = 'select ? as marker from (values ?)' ORDER BY node_id";
    List<List<Object>> all = rows(connect(node(1), "root", ROOT_PASSWORD), sql);
    assertEquals(List.of(2, 3), all.stream().map(r -> r.get(0)).toList(), all.toString());
    assertTrue(all.stream().allMatch(r -> r.get(1).toString().contains("stats-secret")
        && r.get(2).equals(1L)), all.toString());
    List<List<Object>> redacted = rows(connect(node(1), "carol", "carol-pw"), sql);
    assertEquals(2, redacted.size());
    assertTrue(redacted.stream().noneMatch(r -> r.get(1).toString().contains("stats-secret")),
        redacted.toString());
    assertEquals(List.of(), rows(connect(node(1), "alice", "alice-pw"), sql),
        "bob's statements are not alice's to see");
  }

  @Test void aGrantOnOneMemberAppliesOnTheOthers() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    update(root, "CREATE USER dave WITH PASSWORD 'dave-pw'");
    Connection dave = connect(node(2), "dave", "dave-pw");
    String rootSession = sessionId(root);
    String sql = "SELECT \"session_id\" FROM (SHOW CLUSTER SESSIONS) WHERE \"session_id\" = '"
        + rootSession + "'";
    assertEquals(List.of(), column(dave, sql));
    update(root, "GRANT admin TO dave");
    eventually("node 2 applies the grant made on node 1",
        quietly(() -> column(dave, sql).size() == 1));
  }

  @Test void aRoleSettingMadeOnOneMemberAppliesOnTheOthersAndEveryMembersMemoryAndAdmissionAreListed()
      throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    update(root, "CREATE USER fiona WITH PASSWORD 'fiona-pw'");
    update(root, "ALTER USER fiona SET statement_timeout = '7s'");
    assertEquals(List.of("7s"),
        column(connect(node(2), "fiona", "fiona-pw"), "SHOW statement_timeout"));
    List<Object> nodes = column(root, "SELECT \"node_id\" FROM "
        + "\"quell_internal\".\"cluster_memory\" ORDER BY \"node_id\"");
    assertEquals(3, nodes.size(), nodes.toString());
    assertEquals(nodes, column(root, "SELECT node_id FROM quell_internal.cluster_admission "
        + "ORDER BY node_id"), "every member's admission control");
  }

  @Test void aViewMadeOnOneMemberIsReadOnTheOthersForEachCaller() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    // Sessions opened before the view exists, on the other members.
    Connection alice = connect(node(3), "alice", "alice-pw");
    Connection rootOn2 = connect(node(2), "root", ROOT_PASSWORD);
    connect(node(2), "alice", "alice-pw");
    update(root, "CREATE VIEW cluster_users AS"
        + " SELECT DISTINCT user_name FROM (SHOW CLUSTER SESSIONS) AS s");
    // The shared catalog's cache time (1 s) bounds how late the others read it.
    within(Duration.ofSeconds(10), "node 3 reads the view made on node 1",
        quietly(() -> column(alice, "SELECT * FROM cluster_users").equals(List.of("alice"))));
    // Each caller sees through it what they may see, on every node: alice her own sessions.
    // Node 2 reads the catalog on its own clock, so it may see the view a moment after node 3.
    within(Duration.ofSeconds(10), "node 2 reads the view made on node 1",
        quietly(() -> column(rootOn2, "SELECT * FROM cluster_users").containsAll(
            List.of("alice", "root"))));
    assertEquals(List.of("alice"), column(alice, "SELECT * FROM cluster_users"));
    update(root, "DROP VIEW cluster_users");
    within(Duration.ofSeconds(10), "node 2 no longer reads the dropped view", () -> {
      try {
        rows(rootOn2, "SELECT * FROM cluster_users");
        return false;
      } catch (SQLException e) {
        return "42000".equals(e.getSQLState());
      }
    });
  }

  @Test void aPasswordChangedOnOneMemberStopsTheOldOneOnTheOthers() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    update(root, "CREATE USER erin WITH PASSWORD 'erin-old-pw'");
    // two requests on node 2: the old password is in its credential cache
    assertEquals(List.of(1), column(connect(node(2), "erin", "erin-old-pw"), "SELECT 1"));
    update(root, "ALTER USER erin WITH PASSWORD 'erin-new-pw'");
    // the shared catalog's cache time (1 s) and a KDF per refused attempt, not the 60 s for
    // which a verified password is remembered
    within(Duration.ofSeconds(15), "node 2 refuses the old password", () -> {
      try {
        connect(node(2), "erin", "erin-old-pw");
        return false;
      } catch (RuntimeException | SQLException e) {
        // Avatica's client raises a refused login unchecked.
        return String.valueOf(e.getMessage()).contains("401");
      }
    });
    assertEquals(List.of(1), column(connect(node(2), "erin", "erin-new-pw"), "SELECT 1"));
  }

  @Test void aClosedSessionOfAnotherNodeIsListedClosedAndCannotBeCancelled() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    Connection alice = connect(node(2), "alice", "alice-pw");
    String id = sessionId(alice);
    alice.close();
    String closed = "SELECT \"status\", \"end_cause\", \"session_end\" IS NOT NULL "
        + "FROM (SHOW ALL CLUSTER SESSIONS) WHERE \"session_id\" = '" + id + "'";
    assertEquals(List.of(List.of("CLOSED", "CLIENT", true)), rows(root, closed),
        "the fan-out carries the closed session's columns");
    assertTrue(sessions(root, "SHOW CLUSTER SESSIONS").stream()
        .noneMatch(r -> r.get(1).equals(id)), "SHOW CLUSTER SESSIONS lists open sessions only");
    String msg = failsWith("42704", () -> update(root, "CANCEL SESSION '" + id + "'"));
    assertTrue(msg.contains("session ID " + id + " not found"), msg);
    assertEquals(0, update(root, "CANCEL SESSION IF EXISTS '" + id + "'"));
  }

  @Test void aDrainingMemberIsListedDrainingLetsPeersInAndLeavesLast() throws Exception {
    Duration drainTimeout = Duration.ofSeconds(4);
    QuellServer draining = QuellServer.builder(EngineConfig.builder().catalogUrl(CATALOG)
            .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).drainTimeout(drainTimeout).build())
        .host("127.0.0.1").port(0)
        .cluster(new ClusterConfig(zookeeper.getConnectString(), CLUSTER, 0, SECRET,
            SESSION_TIMEOUT, PEER_DEADLINE), null).start();
    long id = draining.engine().registry().nodeId();
    try {
      Connection root = connect(node(1), "root", ROOT_PASSWORD);
      String member = "SELECT \"state\" FROM \"quell_internal\".\"cluster_members\" "
          + "WHERE \"node_id\" = " + id;
      eventually("node 1 lists the new member", quietly(() ->
          column(root, member).equals(List.of("up"))));
      Connection alice = connect(draining, "alice", "alice-pw");
      CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() ->
          assertThrows(SQLException.class, () -> rows(alice, "SELECT pg_sleep(60)")));
      String queries = "SELECT \"query_id\" FROM (SHOW CLUSTER QUERIES) WHERE \"node_id\" = "
          + id + " AND \"query\" LIKE '%pg_sleep%'";
      eventually("node 1 sees the query on the new member", quietly(() ->
          column(root, queries).size() == 1));
      String queryId = (String) column(root, queries).get(0);

      CompletableFuture<Void> stopped = CompletableFuture.runAsync(draining::drain);
      eventually("node 1 lists the member draining", quietly(() ->
          column(root, member).equals(List.of("draining"))));
      RuntimeException refused = assertThrows(RuntimeException.class,
          () -> connect(draining, "root", ROOT_PASSWORD));
      assertEquals("57P03", io.quell.client.ServerFailure.unwrap(refused).getSQLState(),
          refused.getMessage());
      assertEquals(List.of(queryId), column(root, queries),
          "the other members still reach a draining member's queries");

      SQLException cancelled = running.get(drainTimeout.toSeconds() + 20, TimeUnit.SECONDS);
      assertEquals("57014", cancelled.getSQLState(), cancelled.getMessage());
      assertTrue(cancelled.getMessage().contains("message from the canceler: \"node " + id
          + " is draining and its drain timeout of 4 s has passed\""), cancelled.getMessage());
      stopped.get(20, TimeUnit.SECONDS);
      eventually("the drained member leaves", quietly(() -> column(root, member).isEmpty()));
      assertEquals(List.of(List.of("node", "alice", "SHUTDOWN")), rows(root,
          "SELECT \"canceled_by\", \"target_user\", \"cause\" FROM "
              + "\"quell_internal\".\"cancellations\" WHERE \"target_id\" = '" + queryId + "'"));
    } finally {
      draining.close();
    }
  }

  @Test void theNodePrincipalNeedsTheSecret() throws Exception {
    // Avatica's client raises a refused login unchecked.
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> connect(node(1), NodePrincipal.NAME, "not-the-secret-0123456789"));
    assertTrue(e.getMessage().contains("401") || e.getMessage().contains("28P01"),
        e.getMessage());
  }

  @Test void onlyMembersMakePeerCallsAndMembersRunNoSql() throws Exception {
    String calls = "http://127.0.0.1:" + node(1).port() + "/_quell/peer/v1/";
    assertEquals(401, post(calls + "ping", null, "{}").statusCode());
    assertEquals(401, post(calls + "ping",
        basic(NodePrincipal.NAME, "not-the-secret-0123456789"), "{}").statusCode());
    assertEquals(403, post(calls + "ping", basic("root", ROOT_PASSWORD), "{}").statusCode(),
        "a user, even an admin, makes no peer calls");
    HttpResponse<String> ping = post(calls + "ping", basic(NodePrincipal.NAME, SECRET), "{}");
    assertEquals(200, ping.statusCode(), ping.body());
    assertEquals("1", ping.headers().firstValue("Quell-Node").orElseThrow());
    // A failure carries its SQLSTATE.
    HttpResponse<String> notANodeTable = post(calls + "rows", basic(NodePrincipal.NAME, SECRET),
        "{\"table\":\"users\",\"viewer\":{\"name\":\"root\",\"admin\":true,"
            + "\"viewActivity\":true,\"viewActivityRedacted\":false}}");
    assertEquals(500, notANodeTable.statusCode());
    assertTrue(notANodeTable.body().contains("\"sqlstate\":\"42P01\""), notANodeTable.body());
    assertEquals(404, post(calls + "sql", basic(NodePrincipal.NAME, SECRET), "{}").statusCode());
    // The cluster secret opens no SQL session.
    RuntimeException refused = assertThrows(RuntimeException.class,
        () -> connect(node(1), NodePrincipal.NAME, SECRET));
    assertTrue(refused.getMessage().contains("403"), refused.getMessage());
  }

  @Test void oneCancelOfQueriesOnTwoMembersIsAllOrNothing() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    List<CompletableFuture<SQLException>> running = new ArrayList<>();
    for (long id = 2; id <= 3; id++) {
      Connection victim = connect(node(id), "alice", "alice-pw");
      running.add(CompletableFuture.supplyAsync(() -> assertThrows(SQLException.class,
          () -> rows(victim, "SELECT pg_sleep(63)"))));
    }
    String sql = "SELECT \"query_id\" FROM (SHOW CLUSTER QUERIES) "
        + "WHERE \"query\" = 'SELECT pg_sleep(63)' ORDER BY \"node_id\"";
    eventually("node 1 sees both queries", quietly(() -> column(root, sql).size() == 2));
    List<Object> ids = column(root, sql);
    String never = String.format(Locale.ROOT, "%016x%016x", 1L, 2L);
    String names = "(VALUES ('" + ids.get(0) + "'), ('" + never + "'), ('" + ids.get(1) + "'))";
    String msg = failsWith("42704", () -> update(root, "CANCEL QUERIES " + names));
    assertTrue(msg.contains("query ID " + never + " not found"), msg);
    assertEquals(ids, column(root, sql), "nothing was cancelled");
    assertEquals(2, update(root, "CANCEL QUERIES IF EXISTS " + names));
    for (CompletableFuture<SQLException> victim : running) {
      assertEquals("57014", victim.get(60, TimeUnit.SECONDS).getSQLState());
    }
    assertEquals(List.of(List.of("root", "alice", "STATEMENT"),
        List.of("root", "alice", "STATEMENT")), rows(root, "SELECT \"canceled_by\", "
            + "\"target_user\", \"cause\" FROM \"quell_internal\".\"cancellations\" "
            + "WHERE \"target_id\" IN ('" + ids.get(0) + "', '" + ids.get(1) + "')"),
        "each audited once, on the member the CANCEL ran on");
  }

  private static HttpResponse<String> post(String url, String authorization, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test void aTakenNodeIdFailsFast() {
    io.quell.error.QuellException e = assertThrows(io.quell.error.QuellException.class,
        () -> startNode(2).close());
    assertEquals("55006", e.sqlState().code());
    assertTrue(e.getMessage().contains("node id 2 is taken"), e.getMessage());
  }

  @Test void aKilledNodeDisappearsWithinTheSessionTimeout() throws Exception {
    // The doomed node reaches ZooKeeper through a relay; cutting it is what ZooKeeper sees of a
    // killed process: the connection drops and no closeSession is ever sent.
    try (LoopbackProxy link = new LoopbackProxy(zookeeper.getPort())) {
      QuellServer doomed = startNode(0, "127.0.0.1:" + link.port(), CLUSTER, null);
      long doomedId = doomed.engine().registry().nodeId();
      Connection root = connect(node(1), "root", ROOT_PASSWORD);
      String victim = sessionId(connect(doomed, "root", ROOT_PASSWORD));
      eventually("node 1 shows the new node's session", quietly(() ->
          sessions(root, "SHOW CLUSTER SESSIONS").contains(List.of((int) doomedId, victim))));

      link.close();
      assertTrue(node(1).cluster().get().membership().peers().containsKey(doomedId),
          "a crashed member stays listed until its ZooKeeper session expires");
      doomed.close();
      eventually("the dead member leaves", () ->
          !node(1).cluster().get().membership().peers().containsKey(doomedId));
      assertTrue(sessions(root, "SHOW CLUSTER SESSIONS").stream()
          .noneMatch(r -> r.get(0).equals((int) doomedId)));
      String msg = failsWith("42704", () -> update(root, "CANCEL SESSION '" + victim + "'"));
      assertTrue(msg.contains("session ID " + victim + " not found"), msg);
    }
  }

  @Test void tlsMembersCallEachOtherOverHttpsAndRefuseAnUntrustedPeer(@TempDir Path dir)
      throws Exception {
    String password = "cluster-keystore-Secret-7";
    QuellServer.Tls shared = new QuellServer.Tls(
        TestKeystore.create(dir.resolve("cluster.p12"), password).toFile(), password);
    QuellServer.Tls stranger = new QuellServer.Tls(
        TestKeystore.create(dir.resolve("stranger.p12"), password).toFile(), password);
    try (QuellServer a = startNode(0, zookeeper.getConnectString(), "tls", shared);
         QuellServer b = startNode(0, zookeeper.getConnectString(), "tls", shared);
         QuellServer c = startNode(0, zookeeper.getConnectString(), "tls", stranger)) {
      Connection onA = connect(a, shared, "root", ROOT_PASSWORD);
      Connection onB = connect(b, shared, "root", ROOT_PASSWORD);
      String sessionOnB = sessionId(onB);
      int idOfB = (int) b.engine().registry().nodeId();
      eventually("a lists b and the stranger", () ->
          a.cluster().get().membership().peers().size() == 2);
      assertTrue(sessions(onA, "SHOW CLUSTER SESSIONS").contains(List.of(idOfB, sessionOnB)));

      // The stranger's certificate is not one the members trust: its rows are left out, and
      // the reason is on record.
      long idOfC = c.engine().registry().nodeId();
      assertTrue(sessions(onA, "SHOW CLUSTER SESSIONS").stream()
          .noneMatch(r -> r.get(0).equals((int) idOfC)));
      String error = (String) column(onA, "SELECT \"last_error\" FROM "
          + "\"quell_internal\".\"cluster_members\" WHERE \"node_id\" = " + idOfC).get(0);
      assertTrue(error != null && error.contains("PKIX"), error);

      assertEquals(1, update(onA, "CANCEL SESSION '" + sessionOnB + "'"));
      failsWith("57P01", () -> rows(onB, "SELECT 1"));
    }
  }

  @Test void aPeerThatNeverAnswersIsLeftOutWithinTheDeadline() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    Set<List<Object>> expected = sessions(root, "SHOW LOCAL SESSIONS");
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         CuratorFramework fake = fakeMember(99, "127.0.0.1:" + silent.getLocalPort())) {
      Set<List<Object>> shown = assertTimeoutPreemptively(PEER_DEADLINE.multipliedBy(6),
          () -> sessions(root, "SHOW CLUSTER SESSIONS"));
      assertTrue(shown.containsAll(expected), shown::toString);
      assertTrue(shown.stream().map(r -> r.get(0)).distinct().count() >= 3,
          "the answering members are still shown: " + shown);
      // The operator finds out why rows are missing: the member, and what went wrong.
      List<List<Object>> silentMember = rows(root, "SELECT \"address\", \"is_self\", "
          + "\"last_error\" FROM \"quell_internal\".\"cluster_members\" WHERE \"node_id\" = 99");
      assertEquals(1, silentMember.size(), silentMember::toString);
      assertEquals("127.0.0.1:" + silent.getLocalPort(), silentMember.get(0).get(0));
      assertEquals(false, silentMember.get(0).get(1));
      assertTrue(String.valueOf(silentMember.get(0).get(2)).contains("did not answer within"),
          silentMember::toString);
    }
  }

  @Test void aMemberWhoseAddressReachesAnotherNodeIsLeftOut() throws Exception {
    // As when members bound to all interfaces each advertise 127.0.0.1 on their own machines.
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    String onNode2 = sessionId(connect(node(2), "root", ROOT_PASSWORD));
    Set<List<Object>> expected = sessions(root, "SHOW CLUSTER SESSIONS");
    assertTrue(expected.contains(List.of(2, onNode2)), expected::toString);
    String addressOfNode2 = "127.0.0.1:" + node(2).port();
    try (CuratorFramework fake = fakeMember(98, addressOfNode2)) {
      List<List<Object>> shown = rows(root, "SELECT \"node_id\", \"session_id\" "
          + "FROM (SHOW CLUSTER SESSIONS)");
      assertEquals(shown.size(), new HashSet<>(shown).size(), "no row twice: " + shown);
      assertTrue(new HashSet<>(shown).containsAll(expected), shown::toString);
      String error = (String) column(root, "SELECT \"last_error\" FROM "
          + "\"quell_internal\".\"cluster_members\" WHERE \"node_id\" = 98").get(0);
      assertTrue(error.contains("reaches node 2") && error.contains("--advertise-address"),
          error);
    }
  }

  @Test void clusterMembersNeedViewActivity() throws Exception {
    Connection root = connect(node(2), "root", ROOT_PASSWORD);
    assertTrue(rows(root, "SELECT \"node_id\" FROM \"quell_internal\".\"cluster_members\" "
        + "WHERE \"is_self\"").contains(List.of(2)));
    update(root, "CREATE USER IF NOT EXISTS topology_plain WITH PASSWORD 'topology-pw'");
    Connection plain = connect(node(2), "topology_plain", "topology-pw");
    String message = failsWith("42501", () -> rows(plain,
        "SELECT * FROM \"quell_internal\".\"cluster_members\""));
    assertTrue(message.contains("does not have VIEWACTIVITY privilege"), message);
  }

  @Test void aZooKeeperRestartIsSurvivedAndShown() throws Exception {
    Connection root = connect(node(2), "root", ROOT_PASSWORD);
    String onNode3 = sessionId(connect(node(3), "root", ROOT_PASSWORD));
    String zookeeperRow = "SELECT \"state\", \"since\" FROM \"quell_internal\"."
        + "\"cluster_members\" WHERE \"kind\" = 'zookeeper'";
    assertEquals("connected", rows(root, zookeeperRow).get(0).get(0));
    try (LogCapture log = new LogCapture()) {
      zookeeper.stop();
      Timestamp stopped = new Timestamp(System.currentTimeMillis());
      eventually("node 2 shows ZooKeeper suspended", quietly(() ->
          rows(root, zookeeperRow).get(0).get(0).equals("suspended")));
      assertTrue(log.contains("ZooKeeper at " + zookeeper.getConnectString()
          + " is unreachable"));
      // The last known members still serve SHOW while ZooKeeper is down.
      assertTrue(sessions(root, "SHOW CLUSTER SESSIONS").contains(List.of(3, onNode3)));
      eventually("node 2 shows its ZooKeeper session lost once it timed out", quietly(() ->
          rows(root, zookeeperRow).get(0).get(0).equals("lost")));
      assertTrue(log.contains("ZooKeeper session of node 2 lost"));
      zookeeper.restart();
      eventually("node 2 shows ZooKeeper connected again", quietly(() ->
          rows(root, zookeeperRow).get(0).get(0).equals("connected")));
      Timestamp since = (Timestamp) rows(root, zookeeperRow).get(0).get(1);
      assertTrue(!since.before(stopped), since + " is not after " + stopped);
      assertTrue(log.contains("ZooKeeper at " + zookeeper.getConnectString()
          + " is connected again"));
    }
    try (CuratorFramework observer = CuratorFrameworkFactory.newClient(
        zookeeper.getConnectString(), new RetryOneTime(100))) {
      observer.start();
      eventually("every member is registered again", quietly(() -> {
        try {
          return new HashSet<>(observer.getChildren().forPath("/quell/" + CLUSTER + "/members"))
              .containsAll(Set.of("1", "2", "3"));
        } catch (Exception e) {
          return false;
        }
      }));
    }
    eventually("SHOW reaches node 3 again", quietly(() ->
        sessions(root, "SHOW CLUSTER SESSIONS").contains(List.of(3, onNode3))));
  }

  @Test void aStartingMemberIsListedButNeverCalled() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    // What a member that claimed its id and does not answer yet looks like in ZooKeeper.
    try (CuratorFramework starting = CuratorFrameworkFactory.newClient(
        zookeeper.getConnectString(), new RetryOneTime(100))) {
      starting.start();
      starting.create().withMode(CreateMode.EPHEMERAL)
          .forPath("/quell/" + CLUSTER + "/members/97", new byte[0]);
      String row = "SELECT \"address\", \"state\", \"last_error\" FROM \"quell_internal\"."
          + "\"cluster_members\" WHERE \"node_id\" = 97";
      eventually("node 1 lists member 97 as starting", quietly(() ->
          rows(root, row).equals(List.of(Arrays.asList(null, "starting", null)))));
      long start = System.nanoTime();
      rows(root, "SELECT * FROM (SHOW CLUSTER SESSIONS)");
      assertTrue(System.nanoTime() - start < PEER_DEADLINE.toNanos(),
          "SHOW did not wait for the starting member");
      Thread.sleep(ClusterActivity.HEARTBEAT.multipliedBy(3).toMillis());
      assertEquals(List.of(Arrays.asList(null, "starting", null)), rows(root, row),
          "neither SHOW nor the heartbeat called it");
    }
  }

  @Test void aMemberPublishesItsAddressOnlyOnceItAnswersThere() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    CompletableFuture<QuellServer> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return startNode(0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try (QuellServer late = starting.get(120, TimeUnit.SECONDS)) {
      int id = (int) late.engine().registry().nodeId();
      eventually("node 1 lists the new member as up", quietly(() -> rows(root,
          "SELECT \"state\" FROM \"quell_internal\".\"cluster_members\" WHERE \"node_id\" = "
              + id).equals(List.of(List.of("up")))));
      // Its first fan-out finds it warm: it has already answered the calls peers make.
      long start = System.nanoTime();
      assertTrue(rows(root, "SELECT \"node_id\" FROM \"quell_internal\".\"cluster_admission\"")
          .contains(List.of(id)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < PEER_DEADLINE.toMillis(), millis + " ms");
      assertEquals(List.of(Arrays.asList((Object) null)), rows(root, "SELECT \"last_error\" "
          + "FROM \"quell_internal\".\"cluster_members\" WHERE \"node_id\" = " + id));
    }
  }

  @Test void aMemberThatCannotBeReachedAtItsAddressDoesNotJoin() throws Exception {
    // As a member behind an --advertise-address that leads to another node.
    io.quell.error.QuellException e = assertThrows(io.quell.error.QuellException.class, () ->
        QuellServer.builder(EngineConfig.builder().catalogUrl(CATALOG)
                .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).build())
            .host("127.0.0.1").port(0)
            .cluster(new ClusterConfig(zookeeper.getConnectString(), CLUSTER, 0, SECRET,
                SESSION_TIMEOUT, PEER_DEADLINE), "127.0.0.1:" + node(2).port()).start());
    assertEquals("08001", e.sqlState().code());
    assertTrue(e.getMessage().contains("cannot be reached as itself at its advertised address "
        + "127.0.0.1:" + node(2).port()) && e.getMessage().contains("reaches node 2"),
        e.getMessage());
    eventually("its id is free again", () -> node(1).cluster().get().membership().members()
        .keySet().stream().allMatch(id -> id <= 3));
  }

  @Test void aMemberThatStopsAnsweringIsMarkedAtOnceAndLogged() throws Exception {
    Connection root = connect(node(1), "root", ROOT_PASSWORD);
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    // Peers reach the member through a relay; cutting it silences the member while its
    // ZooKeeper session, and so its listing, lives on.
    try (LoopbackProxy link = new LoopbackProxy(port); LogCapture log = new LogCapture()) {
      QuellServer mute = QuellServer.builder(EngineConfig.builder().catalogUrl(CATALOG)
              .rootPassword(ROOT_PASSWORD).scaleFactor(0.01).build())
          .host("127.0.0.1").port(port)
          .cluster(new ClusterConfig(zookeeper.getConnectString(), CLUSTER, 0, SECRET,
              Duration.ofSeconds(60), PEER_DEADLINE), "127.0.0.1:" + link.port()).start();
      long id = mute.engine().registry().nodeId();
      String state = "SELECT \"state\", \"last_error\" IS NOT NULL FROM \"quell_internal\"."
          + "\"cluster_members\" WHERE \"node_id\" = " + id;
      try {
        eventually("node 1 lists the member as up", quietly(() ->
            rows(root, state).equals(List.of(List.of("up", false)))));
        link.close();
        // Nobody reads its rows: the heartbeat notices.
        within(ClusterActivity.HEARTBEAT.plus(PEER_DEADLINE).multipliedBy(2),
            "node 1 marks the member as not answering", quietly(() ->
                rows(root, state).equals(List.of(List.of("not answering", true)))));
        assertTrue(log.contains("cluster member " + id + " is not answering"));
        assertTrue(node(1).cluster().get().membership().members().containsKey(id),
            "still listed in ZooKeeper");
      } finally {
        mute.close();
      }
      eventually("the member leaves", quietly(() -> rows(root, state).isEmpty()));
      assertTrue(log.contains("cluster member " + id + " left the cluster"));
    }
  }
}
