package io.quell.benchmarks;

import io.quell.server.QuellServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Figure 6b: a cancel across members. A query sleeping on member B is cancelled by
 * {@code CANCEL QUERY} sent on member A, timed from sending the CANCEL until B's client sees
 * 57014; the baseline is the same cancel sent on B itself. The two alternate, after cancels of
 * both kinds that are not counted, so that both paths run warm. Finding the query's id is not
 * timed: the canceller is given it.
 */
final class ClusterCancel {
  /** Timed cancels per side. */
  private static final int RUNS = 100;
  /** Cancels per side before the timed ones. */
  private static final int WARM_UP = 30;
  private static final String VICTIM_SQL = "SELECT pg_sleep(60)";

  private ClusterCancel() {
  }

  record Result(Stats crossMember, Stats sameMember) {
  }

  /** Cancels on {@code a} and on {@code b} of queries running on {@code b}. */
  static Result measure(QuellServer a, QuellServer b, String password) throws Exception {
    ExecutorService victims = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "cluster-cancel-victim");
      t.setDaemon(true);
      return t;
    });
    try (Connection victim = connect(b, password);
         Connection onA = connect(a, password);
         Connection onB = connect(b, password)) {
      String session = single(victim, "SHOW session_id");
      Stats cross = new Stats();
      Stats same = new Stats();
      for (int i = 0; i < 2 * (WARM_UP + RUNS); i++) {
        boolean fromA = i % 2 == 0;
        double millis = cancelOnce(victims, victim, session, fromA ? onA : onB, onB);
        if (i >= 2 * WARM_UP) {
          (fromA ? cross : same).add(millis);
        }
      }
      return new Result(cross, same);
    } finally {
      victims.shutdownNow();
    }
  }

  /**
   * Starts the victim's query, waits until {@code owner} lists it executing, and returns the
   * milliseconds from sending its cancel on {@code canceller} to the victim's 57014.
   */
  private static double cancelOnce(ExecutorService victims, Connection victim, String session,
      Connection canceller, Connection owner) throws Exception {
    Future<Long> ended = victims.submit(() -> {
      try (Statement s = victim.createStatement()) {
        s.executeQuery(VICTIM_SQL).close();
        throw new IllegalStateException("the victim was not canceled");
      } catch (SQLException e) {
        if (!"57014".equals(e.getSQLState())) {
          throw e;
        }
        return System.nanoTime();
      }
    });
    String id = null;
    try (PreparedStatement find = owner.prepareStatement("SELECT query_id FROM "
        + "quell_internal.node_queries WHERE session_id = ? AND phase = 'executing'")) {
      find.setString(1, session);
      while (id == null) {
        try (ResultSet rs = find.executeQuery()) {
          id = rs.next() ? rs.getString(1) : null;
        }
      }
    }
    long sent = System.nanoTime();
    try (Statement cancel = canceller.createStatement()) {
      if (cancel.executeUpdate("CANCEL QUERY '" + id + "'") != 1) {
        throw new IllegalStateException("CANCEL QUERY did not cancel " + id);
      }
    }
    return (ended.get(60, TimeUnit.SECONDS) - sent) / 1e6;
  }

  private static Connection connect(QuellServer member, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:"
        + member.port() + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;"
        + "avatica_password=" + password);
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
