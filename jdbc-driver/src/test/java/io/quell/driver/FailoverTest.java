package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.testing.PostgresServer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.apache.curator.test.TestingServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jdbc:quell://h1:p1,h2:p2,h3:p3}: three real member processes of one cluster (a
 * ZooKeeper test server, a PostgreSQL catalog), a HikariCP pool of 20 connections spread over
 * them by {@code loadBalanceHosts=true}, and one member killed with SIGKILL while the pool
 * serves queries: only statements on the dead member's connections fail, each with 08006, and
 * the pool goes on serving from the other two.
 */
@Timeout(600)
class FailoverTest {
  private static final String SECRET = "failover-test-secret-0123456789";
  private static final String APPLICATION = "failover-pool";
  private static final int POOL = 20;
  private static final int WORKERS = 8;

  /** A statement the pool's client ran: when it ended and, if it failed, its SQLSTATE. */
  private record Outcome(long nanos, String sqlState) {
  }

  @Test void aPoolOverThreeMembersServesThroughTheKillOfOne() throws Exception {
    try (PostgresServer catalog = PostgresServer.start();
         TestingServer zookeeper = new TestingServer(true)) {
      List<MemberProcess> members = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          members.add(start(catalog, zookeeper));
        }
        String url = "jdbc:quell://" + String.join(",",
            members.stream().map(MemberProcess::address).toList())
            + "?loadBalanceHosts=true&applicationName=" + APPLICATION;
        try (Connection observer = connect("jdbc:quell://" + members.get(0).address());
             HikariDataSource pool = pool(url)) {
          Map<Integer, Long> spread = new TreeMap<>();
          eventually("the pool holds " + POOL + " connections on all three members", () -> {
            spread.clear();
            spread.putAll(poolSessionsByNode(observer));
            return spread.size() == 3 && spread.values().stream().mapToLong(n -> n).sum() == POOL;
          });
          int victimId = (int) nodeId(members.get(1));
          long onVictim = spread.get(victimId);

          Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
          AtomicBoolean running = new AtomicBoolean(true);
          ExecutorService clients = Executors.newFixedThreadPool(WORKERS);
          for (int i = 0; i < WORKERS; i++) {
            clients.submit(() -> {
              while (running.get()) {
                outcomes.add(query(pool));
              }
            });
          }
          Thread.sleep(3_000);
          long killed = System.nanoTime();
          members.get(1).process().destroyForcibly().waitFor(60, TimeUnit.SECONDS);
          Thread.sleep(10_000);
          running.set(false);
          clients.shutdown();
          assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS));

          List<Outcome> failed = outcomes.stream().filter(o -> o.sqlState() != null).toList();
          assertTrue(failed.stream().allMatch(o -> o.sqlState().equals("08006")),
              "every failure is the dead member's connection: " + failed);
          assertTrue(failed.size() <= onVictim, failed.size() + " failures, but only "
              + onVictim + " connections were on the dead member");
          long settled = killed + TimeUnit.SECONDS.toNanos(5);
          assertTrue(failed.stream().allMatch(o -> o.nanos() < settled),
              "nothing fails once the pool dropped the dead member's connections");
          assertTrue(outcomes.stream().filter(o -> o.nanos() > settled).count() > 10,
              "the pool goes on serving");
          // Every connection the pool hands out now works, and is on a live member.
          List<Connection> held = new ArrayList<>();
          try {
            for (int i = 0; i < POOL; i++) {
              held.add(pool.getConnection());
              assertTrue(selfNode(held.get(i)) != victimId, "a connection on the dead member");
            }
          } finally {
            for (Connection c : held) {
              c.close();
            }
          }
          System.out.println("[failover] " + outcomes.size() + " statements, " + failed.size()
              + " failed with 08006 of the " + onVictim + " connections on the killed member "
              + victimId + "; spread before the kill " + spread);
        }
      } finally {
        members.forEach(m -> m.process().destroyForcibly());
      }
    }
  }

  @Test void serversAreTriedInOrderSkippingOnesThatCannotBeReached() throws Exception {
    String closed = "127.0.0.1:" + closedPort();
    try (PostgresServer catalog = PostgresServer.start();
         TestingServer zookeeper = new TestingServer(true)) {
      MemberProcess a = start(catalog, zookeeper);
      MemberProcess b = start(catalog, zookeeper);
      String all = "jdbc:quell://" + closed + "," + a.address() + "," + b.address();
      try {
        try (Connection c = connect(all)) {
          assertEquals(nodeId(a), selfNode(c), "the first server that answers, in order");
        }
        // A refusal that every member would give alike ends the attempt.
        Properties wrong = new Properties();
        wrong.setProperty("user", "root");
        wrong.setProperty("password", "not-the-password");
        SQLException refused = assertThrows(SQLException.class,
            () -> DriverManager.getConnection(all, wrong));
        assertEquals("28P01", refused.getSQLState(), refused.getMessage());
      } finally {
        a.process().destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        b.process().destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      }
      SQLException none = assertThrows(SQLException.class, () -> connect(all));
      assertEquals("08001", none.getSQLState());
      assertTrue(none.getMessage().startsWith("cannot connect to any of the 3 servers: ")
          && none.getMessage().contains(closed) && none.getMessage().contains(b.address()),
          none.getMessage());
    }
    SQLException empty = assertThrows(SQLException.class,
        () -> connect("jdbc:quell://" + closed + ",,127.0.0.1:1"));
    assertEquals("08001", empty.getSQLState());
    assertTrue(empty.getMessage().contains("an empty server in the URL's list"),
        empty.getMessage());
  }

  private static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setDriverClassName(QuellDriver.class.getName());
    config.setJdbcUrl(url);
    config.setUsername("root");
    config.setPassword(ServerFixture.ROOT_PASSWORD);
    config.setMaximumPoolSize(POOL);
    config.setMinimumIdle(POOL);
    config.setConnectionTimeout(60_000);
    config.setPoolName(APPLICATION);
    return new HikariDataSource(config);
  }

  private static Outcome query(HikariDataSource pool) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tpch.nation")) {
      rs.next();
      return new Outcome(System.nanoTime(), null);
    } catch (SQLException e) {
      return new Outcome(System.nanoTime(), String.valueOf(e.getSQLState()));
    }
  }

  /** The pool's sessions on each member, as a member lists them. */
  private static Map<Integer, Long> poolSessionsByNode(Connection observer) {
    Map<Integer, Long> byNode = new TreeMap<>();
    try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT \"node_id\", COUNT(*) FROM (SHOW CLUSTER SESSIONS) "
            + "WHERE \"application_name\" = '" + APPLICATION + "' GROUP BY \"node_id\"")) {
      while (rs.next()) {
        byNode.put(rs.getInt(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      byNode.clear();
    }
    return byNode;
  }

  private static long nodeId(MemberProcess member) throws SQLException {
    try (Connection c = connect("jdbc:quell://" + member.address())) {
      return selfNode(c);
    }
  }

  private static long selfNode(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT \"node_id\" FROM \"quell_internal\".\"cluster_members\" WHERE \"is_self\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "root");
    props.setProperty("password", ServerFixture.ROOT_PASSWORD);
    return DriverManager.getConnection(url, props);
  }

  /** A member process of the cluster; returns once it listens and has joined. */
  private static MemberProcess start(PostgresServer catalog, TestingServer zookeeper)
      throws Exception {
    return MemberProcess.start(List.of(), SECRET, List.of("--host", "127.0.0.1", "--port", "0",
        "--pg-port", "0", "--zookeeper", zookeeper.getConnectString(), "--cluster-name", "failover",
        "--catalog-url", catalog.jdbcUrl(), "--catalog-user", PostgresServer.USER));
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A condition polled until it holds. */
  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void eventually(String what, Condition condition) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
