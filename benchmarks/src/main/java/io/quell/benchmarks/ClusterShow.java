package io.quell.benchmarks;

import io.quell.cluster.ClusterConfig;
import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.curator.test.TestingServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Figure 6: latency of a cluster-wide SHOW SESSIONS against SHOW LOCAL SESSIONS on the same
 * node, with three members in this JVM (one ZooKeeper test server, one shared catalog) each
 * holding the same number of idle sessions; then, on the same cluster, a cancel across members
 * ({@link ClusterCancel}).
 */
final class ClusterShow {
  private static final String SECRET = "benchmark-cluster-secret";

  private ClusterShow() {
  }

  record Result(int rows, double clusterMillis, double localMillis,
      ClusterCancel.Result cancel) {
  }

  static Result measure(int nodes, int sessionsPerNode, String password) throws Exception {
    String catalog = "jdbc:h2:mem:bench-cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    List<QuellServer> members = new ArrayList<>();
    List<Connection> open = new ArrayList<>();
    try (TestingServer zookeeper = new TestingServer(true)) {
      try {
        return measure(zookeeper, catalog, members, open, nodes, sessionsPerNode, password);
      } finally {
        // Members leave before ZooKeeper stops.
        open.forEach(SessionScale::closeQuietly);
        members.forEach(QuellServer::close);
      }
    }
  }

  private static Result measure(TestingServer zookeeper, String catalog,
      List<QuellServer> members, List<Connection> open, int nodes, int sessionsPerNode,
      String password) throws Exception {
    for (int i = 0; i < nodes; i++) {
      members.add(QuellServer.builder(EngineConfig.builder().catalogUrl(catalog)
              .rootPassword(password).scaleFactor(0.01).build()).host("127.0.0.1").port(0)
          .cluster(new ClusterConfig(zookeeper.getConnectString(), "bench", 0, SECRET,
              ClusterConfig.DEFAULT_SESSION_TIMEOUT, Duration.ofSeconds(30)), null).start());
    }
    for (QuellServer member : members) {
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + member.port()
          + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;avatica_password="
          + password;
      for (int i = 0; i < sessionsPerNode; i++) {
        open.add(DriverManager.getConnection(url));
      }
    }
    Connection viewer = open.get(0);
    int expected = nodes * sessionsPerNode;
    int rows = 0;
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (rows < expected) {
      // Members learn of each other through ZooKeeper asynchronously.
      if (System.nanoTime() > end) {
        throw new IllegalStateException("cluster shows " + rows + " of " + expected);
      }
      rows = count(viewer, "SHOW CLUSTER SESSIONS");
    }
    Stats cluster = new Stats();
    Stats local = new Stats();
    for (int i = 0; i < 15; i++) {
      long start = System.nanoTime();
      rows = count(viewer, "SHOW CLUSTER SESSIONS");
      cluster.add((System.nanoTime() - start) / 1e6);
      start = System.nanoTime();
      count(viewer, "SHOW LOCAL SESSIONS");
      local.add((System.nanoTime() - start) / 1e6);
    }
    return new Result(rows, cluster.median(), local.median(),
        ClusterCancel.measure(members.get(0), members.get(1), password));
  }

  private static int count(Connection c, String sql) throws Exception {
    int n = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rs.getString(2);
        n++;
      }
    }
    return n;
  }
}
