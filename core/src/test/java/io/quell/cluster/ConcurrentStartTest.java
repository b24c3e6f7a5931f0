package io.quell.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;
import io.quell.testing.PostgresServer;

import org.apache.calcite.avatica.remote.Driver;
import org.apache.curator.test.TestingServer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Members started at the same instant on an empty PostgreSQL catalog, as an operator starting a
 * whole cluster does: every one comes up, and exactly one prints root's generated password,
 * which then works on every member.
 */
class ConcurrentStartTest {
  private static final int MEMBERS = 5;
  private static final int ROUNDS = 10;
  private static final String SECRET = "concurrent-start-secret-0123456789";

  @Test void membersStartingAtOnceOnAnEmptyCatalogAllComeUp() throws Exception {
    ExecutorService starters = Executors.newFixedThreadPool(MEMBERS);
    try (PostgresServer pg = PostgresServer.start();
         TestingServer zookeeper = new TestingServer(true)) {
      for (int round = 1; round <= ROUNDS; round++) {
        String database = "catalog_" + round;
        try (Connection admin = pg.connect(); Statement st = admin.createStatement()) {
          st.execute("CREATE DATABASE " + database);
        }
        String catalog = pg.jdbcUrl().replace("/postgres", "/" + database);
        ClusterConfig cluster = new ClusterConfig(zookeeper.getConnectString(), "round-" + round,
            0, SECRET, Duration.ofSeconds(10), Duration.ofSeconds(5));
        CyclicBarrier together = new CyclicBarrier(MEMBERS);
        List<Future<QuellServer>> starts = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          starts.add(starters.submit(() -> {
            together.await();
            return QuellServer.builder(EngineConfig.builder().catalogUrl(catalog)
                    .catalogLogin(PostgresServer.USER, "").scaleFactor(0.01).build())
                .host("127.0.0.1").port(0).cluster(cluster, null).start();
          }));
        }
        List<QuellServer> members = new ArrayList<>();
        try {
          for (Future<QuellServer> start : starts) {
            members.add(start.get(120, TimeUnit.SECONDS));
          }
          List<String> printed = members.stream().map(m -> m.engine().generatedRootPassword())
              .flatMap(Optional::stream).toList();
          int r = round;
          assertEquals(1, printed.size(), () -> "round " + r + ": printed " + printed);
          for (QuellServer member : members) {
            assertEquals(MEMBERS, countMembers(member, printed.get(0)),
                "round " + round + ": member " + member.engine().registry().nodeId());
          }
        } finally {
          members.forEach(QuellServer::close);
        }
      }
    } finally {
      starters.shutdownNow();
    }
  }

  /** The members {@code member} lists, read as root over HTTP once all five are listed. */
  private static long countMembers(QuellServer member, String rootPassword) throws Exception {
    Properties info = new Properties();
    info.setProperty("url", "http://127.0.0.1:" + member.port());
    info.setProperty("serialization", "PROTOBUF");
    info.setProperty("authentication", "BASIC");
    info.setProperty("avatica_user", "root");
    info.setProperty("avatica_password", rootPassword);
    try (Connection c = new Driver().connect("jdbc:avatica:remote:", info);
         Statement st = c.createStatement()) {
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"quell_internal\"."
            + "\"cluster_members\" WHERE \"node_id\" IS NOT NULL")) {
          rs.next();
          long count = rs.getLong(1);
          if (count == MEMBERS || System.nanoTime() > end) {
            return count;
          }
        }
        Thread.sleep(50);
      }
    }
  }
}
