package io.quell.driver;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.testing.PostgresServer;
import io.quell.testing.TestNetwork;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A network partition on real addresses: three member processes, each in a network namespace
 * of its own ({@link TestNetwork}), with ZooKeeper on the test's side of the cluster network.
 * One member's cluster link is cut, so that it loses its peers and ZooKeeper while the test's
 * clients still reach it over the client network, and is given back before ZooKeeper would
 * expire its session, as in a short partition. What a user sees: a member still connected
 * reports the cut member as not answering, with a reason, and its SHOW CLUSTER SESSIONS
 * answers within about the peer timeout with the others' rows; CANCEL of a session on the cut
 * member fails with a connection SQLSTATE and the session lives on; once the link is back the
 * member is up again and its sessions are listed; users made before the cut log in on every
 * member afterwards.
 */
@Timeout(240)
class PartitionTest {
  private static final String SECRET = "partition-test-secret-0123456789";
  private static final int MEMBERS = 3;
  private static final int CUT = 2;
  /** Any port: each member listens in a namespace of its own, where nothing else does. */
  private static final int PORT = 8765;
  private static final long PEER_TIMEOUT_MS = 2_000;
  /** Longer than the cut lasts, so that the cut member stays listed throughout. */
  private static final long SESSION_TIMEOUT_S = 60;
  /** How long the cut member may take to answer its own client. */
  private static final long ANSWER_MS = 10_000;

  /**
   * What a run cuts beyond the peers and ZooKeeper, and what it checks beyond the rest: the
   * two findings of this test that are not fixed yet, each a disabled test of its own.
   */
  private record Scenario(boolean catalogCut, boolean cancelerChecked) {
  }

  /** The catalog on the client network: the cut leaves the member its catalog. */
  @Test void aMemberCutFromItsPeersAndZooKeeperIsReportedRefusesCancelAndComesBack()
      throws Exception {
    partition(new Scenario(false, false));
  }

  /**
   * The catalog on the cluster network, cut off with the peers. Fails today: once the shared
   * catalog's 1 s cache has aged, the cut member's every request reads the catalog again; it
   * used to wait on a dead TCP connection for minutes and now fails after the catalog's 10 s
   * network timeout, where a stopped PostgreSQL is refused at once.
   */
  @Disabled("a member cut from its PostgreSQL catalog no longer hangs (the catalog's network "
      + "timeout, found by this test) but refuses requests: it authenticates each request "
      + "against the shared catalog, at most 1 s old, and does not fall back to the last "
      + "principals it read")
  @Test void aMemberCutFromItsCatalogTooStillAnswersItsClients() throws Exception {
    partition(new Scenario(true, false));
  }

  /**
   * The member reports the unreachable owner with 08006, which once made the client
   * (QuellConnection) end its own healthy session, so a pool dropped the canceler's connection.
   */
  @Test void aCancelThatCannotReachTheOwnerLeavesTheCancelersConnectionUsable()
      throws Exception {
    partition(new Scenario(false, true));
  }

  private static void partition(Scenario scenario) throws Exception {
    long began = System.nanoTime();
    try (TestNetwork network = TestNetwork.create(MEMBERS);
         PostgresServer catalog = scenario.catalogCut()
             ? PostgresServer.startOn(network.hostAddress(), network.clusterNetwork())
             : PostgresServer.startOn(network.clientHostAddress(), network.clientNetwork());
         TestingServer zookeeper = zookeeperOn(network)) {
      List<MemberProcess> members = startMembers(network, catalog, zookeeper);
      try {
        partitionAndHeal(network, scenario);
      } catch (AssertionError | Exception e) {
        for (int i = 0; i < members.size(); i++) {
          System.out.println("[partition] output of member " + i + ":\n"
              + members.get(i).output());
        }
        throw e;
      } finally {
        for (MemberProcess member : members) {
          member.close();
        }
      }
    }
    System.out.println("[partition] whole test, namespaces made and removed: "
        + millisSince(began) + " ms");
  }

  private static void partitionAndHeal(TestNetwork network, Scenario scenario)
      throws Exception {
    List<Connection> roots = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      roots.add(connect(network, i, "root", ServerFixture.ROOT_PASSWORD));
    }
    Connection observer = roots.get(0);
    long cutNode = selfNode(roots.get(CUT));
    eventually("every member lists the three up", 60_000, () -> {
      for (Connection c : roots) {
        if (((Number) column(c, "SELECT COUNT(*) FROM \"quell_internal\".\"cluster_members\" "
            + "WHERE \"kind\" = 'node' AND \"state\" = 'up'").get(0)).longValue() != MEMBERS) {
          return false;
        }
      }
      return true;
    });
    update(observer, "CREATE USER before_cut WITH PASSWORD 'before-cut-pw'");
    String onObserver = sessionId(observer);
    String onOther = sessionId(roots.get(1));
    Connection victim = connect(network, CUT, "root", ServerFixture.ROOT_PASSWORD);
    String victimSession = sessionId(victim);
    eventually("the observer lists the victim's session", 30_000,
        () -> clusterSessions(observer).contains(victimSession));

    network.cut(CUT);
    long cut = System.nanoTime();
    long reported = eventually("the observer reports member " + cutNode + " not answering",
        15_000, () -> "not answering".equals(memberState(observer, cutNode).get(0)));
    List<Object> seen = memberState(observer, cutNode);
    assertNotNull(seen.get(1), "a reason in last_error: " + seen);
    System.out.println("[partition] member " + cutNode + " reported '" + seen.get(0) + "' "
        + reported + " ms after the cut: " + seen.get(1));

    long asked = System.nanoTime();
    List<String> shown = clusterSessions(observer);
    long showMs = millisSince(asked);
    assertTrue(showMs < 2 * PEER_TIMEOUT_MS, "SHOW CLUSTER SESSIONS took " + showMs
        + " ms, over twice the peer timeout of " + PEER_TIMEOUT_MS + " ms");
    assertTrue(shown.contains(onObserver) && shown.contains(onOther),
        "the members still connected are listed: " + shown);
    assertFalse(shown.contains(victimSession), "the cut member's rows cannot be read");
    System.out.println("[partition] SHOW CLUSTER SESSIONS during the cut: " + showMs + " ms, "
        + shown.size() + " sessions");

    // A connection of its own: the one that cancels is lost today (see the disabled test).
    Connection canceler = connect(network, 0, "root", ServerFixture.ROOT_PASSWORD);
    long canceling = System.nanoTime();
    SQLException refused = assertThrows(SQLException.class,
        () -> update(canceler, "CANCEL SESSION '" + victimSession + "'"),
        "a CANCEL that cannot reach the member must not report success");
    long cancelMs = millisSince(canceling);
    assertTrue(String.valueOf(refused.getSQLState()).startsWith("08"),
        refused.getSQLState() + " " + refused.getMessage());
    assertTrue(refused.getMessage().contains("cluster member"), refused.getMessage());
    System.out.println("[partition] CANCEL of " + victimSession + " during the cut: "
        + refused.getSQLState() + " after " + cancelMs + " ms: " + refused.getMessage());
    if (scenario.cancelerChecked()) {
      assertEquals(List.of(1), column(canceler, "SELECT 1"), "the canceler's connection works");
    }
    canceler.close();
    assertEquals(List.of(1), within(ANSWER_MS, () -> column(victim, "SELECT 1")),
        "the victim's session lives on");
    assertTrue(within(ANSWER_MS, () -> column(roots.get(CUT),
        "SELECT \"session_id\" FROM (SHOW LOCAL SESSIONS)")).contains(victimSession),
        "the cut member still holds the victim's session");
    System.out.println("[partition] the cut member's own view: "
        + rows(roots.get(CUT), "SELECT \"kind\", \"node_id\", \"state\" FROM "
            + "\"quell_internal\".\"cluster_members\""));
    assertTrue(millisSince(cut) < SESSION_TIMEOUT_S * 1_000 / 2,
        "the cut outlasted half the ZooKeeper session timeout: the test is too slow here");

    network.restore(CUT);
    long back = eventually("the observer lists member " + cutNode + " up again", 20_000,
        () -> "up".equals(memberState(observer, cutNode).get(0)));
    long listed = eventually("SHOW CLUSTER SESSIONS lists the victim's session again", 20_000,
        () -> clusterSessions(observer).contains(victimSession));
    System.out.println("[partition] after the link came back: up in " + back
        + " ms, its sessions listed in " + listed + " ms more");

    for (int i = 0; i < MEMBERS; i++) {
      try (Connection user = connect(network, i, "before_cut", "before-cut-pw")) {
        assertEquals(List.of(1), column(user, "SELECT 1"), "a login on member " + i);
      }
    }
    assertEquals(1, update(observer, "CANCEL SESSION '" + victimSession + "'"),
        "with the link back, CANCEL reaches the member");
    for (Connection c : roots) {
      c.close();
    }
  }

  /** ZooKeeper on the test's cluster address only: a cut member loses it with its peers. */
  private static TestingServer zookeeperOn(TestNetwork network) throws Exception {
    String host = network.hostAddress().getHostAddress();
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", host,
            "maxSessionTimeout", Long.toString(2 * SESSION_TIMEOUT_S * 1_000)), host);
    return new TestingServer(spec, true);
  }

  /** The members, started at once (a concurrent start on an empty catalog is supported). */
  private static List<MemberProcess> startMembers(TestNetwork network, PostgresServer catalog,
      TestingServer zookeeper) throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(MEMBERS);
    List<Future<MemberProcess>> starting = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      int member = i;
      starting.add(starter.submit(() -> MemberProcess.start(network.inNamespace(member), SECRET,
          List.of("--host", "0.0.0.0", "--insecure", "--port", Integer.toString(PORT),
              "--advertise-address", network.clusterAddress(member) + ":" + PORT,
              "--zookeeper", zookeeper.getConnectString(), "--cluster-name", "partition",
              "--catalog-url", catalog.jdbcUrl(), "--catalog-user", PostgresServer.USER,
              "--peer-timeout", Long.toString(PEER_TIMEOUT_MS),
              "--zookeeper-session-timeout", Long.toString(SESSION_TIMEOUT_S)))));
    }
    starter.shutdown();
    List<MemberProcess> members = new ArrayList<>();
    Exception failed = null;
    for (Future<MemberProcess> member : starting) {
      try {
        members.add(member.get());
      } catch (Exception e) {
        failed = e;
      }
    }
    if (failed != null) {
      for (MemberProcess member : members) {
        member.close();
      }
      throw failed;
    }
    return members;
  }

  /** The session ids SHOW CLUSTER SESSIONS lists. */
  private static List<String> clusterSessions(Connection c) throws SQLException {
    return column(c, "SELECT \"session_id\" FROM (SHOW CLUSTER SESSIONS)").stream()
        .map(String.class::cast).toList();
  }

  /** (state, last_error) of member {@code node} as {@code c}'s node sees it. */
  private static List<Object> memberState(Connection c, long node) throws SQLException {
    List<List<Object>> found = rows(c, "SELECT \"state\", \"last_error\" FROM "
        + "\"quell_internal\".\"cluster_members\" WHERE \"node_id\" = " + node);
    assertEquals(1, found.size(), "member " + node + " is listed: " + found);
    return found.get(0);
  }

  private static long selfNode(Connection c) throws SQLException {
    return ((Number) column(c, "SELECT \"node_id\" FROM \"quell_internal\".\"cluster_members\" "
        + "WHERE \"is_self\"").get(0)).longValue();
  }

  private static String sessionId(Connection c) throws SQLException {
    return (String) column(c, "SHOW session_id").get(0);
  }

  /** A connection to member {@code i} over the client network. */
  private static Connection connect(TestNetwork network, int i, String user, String password)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection(
        "jdbc:quell://" + network.clientAddress(i) + ":" + PORT, props);
  }

  /** {@code call}'s result, or an assertion failure if it takes over {@code limitMs}. */
  private static <T> T within(long limitMs, Callable<T> call) throws Exception {
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      return caller.submit(call).get(limitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + limitMs + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      caller.shutdownNow();
    }
  }

  /** A condition polled until it holds. */
  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code condition} for at most {@code limitMs}; returns how long it took to hold. */
  private static long eventually(String what, long limitMs, Condition condition)
      throws Exception {
    long start = System.nanoTime();
    while (!condition.holds()) {
      if (millisSince(start) > limitMs) {
        throw new AssertionError("not within " + limitMs + " ms: " + what);
      }
      Thread.sleep(100);
    }
    return millisSince(start);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
