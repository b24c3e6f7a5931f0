package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cancellation against itself and against time: a session cancelling its own statement or
 * itself, two sessions cancelling each other at once, and cancels racing a query's normal end.
 * Each ends cleanly, without deadlock, and leaves the server holding nothing.
 */
class CancelRaceTest {
  static final Duration DEADLOCK_LIMIT = Duration.ofSeconds(60);
  static final Set<String> VICTIM_STATES = ConcurrencyStressTest.VICTIM_STATES;

  @TempDir static Path dir;
  static ServerFixture f;

  @BeforeAll static void start() throws Exception {
    f = new ServerFixture(dir);
  }

  @AfterAll static void stop() {
    f.close();
  }

  /** Like pg_cancel_backend(pg_backend_pid()): the cancelling statement itself fails 57014. */
  @Test void cancelOwnQueryFailsTheCancelStatementOnly() throws Exception {
    assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
      try (Connection c = f.connect("root", ServerFixture.ROOT_PASSWORD, "self-query")) {
        SQLException e = assertThrows(SQLException.class, () -> update(c, "CANCEL QUERY "
            + "(SELECT query_id FROM (SHOW QUERIES) AS q WHERE application_name = 'self-query')"));
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertEquals("1", ConcurrencyStressTest.scalar(c, "SELECT 1"), "session still usable");
      }
      assertServerEmpty();
    });
  }

  /**
   * As in the seed page's CANCEL SESSIONS of root's own sessions: the statement reports what
   * it cancelled, and the session is over from its next call.
   */
  @Test void cancelOwnSessionEndsIt() throws Exception {
    assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
      Connection c = f.connect("root", ServerFixture.ROOT_PASSWORD, "self-session");
      assertEquals(1, update(c, "CANCEL SESSION (SELECT session_id FROM (SHOW SESSIONS) "
          + "AS s WHERE application_name = 'self-session')"));
      SQLException after = assertThrows(SQLException.class,
          () -> ConcurrencyStressTest.scalar(c, "SELECT 1"));
      assertEquals("57P01", after.getSQLState(), after.getMessage());
      closeCanceled(c);
      assertServerEmpty();
    });
  }

  /** Both CANCEL SESSION statements return or fail with a victim's SQLSTATE; none hangs. */
  @Test void twoSessionsCancelEachOtherAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> {
        Map<String, Integer> outcomes = new TreeMap<>();
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
          Connection a = f.connect("root", ServerFixture.ROOT_PASSWORD, "a" + round);
          Connection b = f.connect("root", ServerFixture.ROOT_PASSWORD, "b" + round);
          PreparedStatement cancelB = a.prepareStatement("CANCEL SESSION ?");
          PreparedStatement cancelA = b.prepareStatement("CANCEL SESSION ?");
          cancelB.setString(1, sessionId(a, "b" + round));
          cancelA.setString(1, sessionId(b, "a" + round));
          CompletableFuture<String> first = CompletableFuture.supplyAsync(
              () -> outcome(cancelB), pool);
          CompletableFuture<String> second = CompletableFuture.supplyAsync(
              () -> outcome(cancelA), pool);
          for (String o : new String[] {first.get(), second.get()}) {
            outcomes.merge(o, 1, Integer::sum);
          }
          Set<String> pair = Set.of("a" + round, "b" + round);
          long alive = f.server.engine().registry().sessions().stream()
              .filter(s -> pair.contains(s.variables().applicationName())).count();
          assertTrue(alive <= 1, "both sessions survived round " + round);
          closeCanceled(a);
          closeCanceled(b);
        }
        System.out.println("[race] mutual CANCEL SESSION outcomes over " + rounds + " rounds: "
            + outcomes);
        assertEquals(2 * rounds, outcomes.values().stream().mapToInt(Integer::intValue).sum(),
            "every CANCEL of every round had an outcome: " + outcomes);
        assertTrue(Set.of("1", "57014", "57P01").containsAll(outcomes.keySet()),
            outcomes.toString());
        assertTrue(outcomes.containsKey("1"), "some CANCEL ended the other session: " + outcomes);
        assertServerEmpty();
      });
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A short query with a cancel fired at a random moment, by Statement.cancel or by CANCEL
   * QUERY from another session: it returns the right answer or fails 57014, and the next
   * statement on the same session is untouched by a cancel that came too late.
   */
  @Test void cancelRacingNormalCompletion() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      int iterations = Integer.getInteger("quell.race.iterations", 100);
      assertTimeoutPreemptively(Duration.ofSeconds(Math.max(180, iterations)), () -> {
        String sql = "SELECT COUNT(*) FROM customer WHERE c_acctbal > 0";
        Map<String, Integer> outcomes = new TreeMap<>();
        try (Connection c = f.connect("root", ServerFixture.ROOT_PASSWORD, "racer");
             Connection admin = f.root();
             PreparedStatement query = c.prepareStatement(sql);
             PreparedStatement next = c.prepareStatement("SELECT 1");
             PreparedStatement cancel = admin.prepareStatement("CANCEL QUERY IF EXISTS ?");
             PreparedStatement find = admin.prepareStatement("SELECT query_id FROM "
                 + "(SHOW QUERIES) AS q WHERE application_name = 'racer'")) {
          String expected = ConcurrencyStressTest.scalar(query);
          // Cancels land anywhere from before the start to well after the end.
          long start = System.nanoTime();
          ConcurrencyStressTest.scalar(query);
          long span = 2 * TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
          for (int i = 0; i < iterations; i++) {
            boolean byStatement = i % 2 == 0;
            long delayMicros = ThreadLocalRandom.current().nextLong(span);
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
              try {
                TimeUnit.MICROSECONDS.sleep(delayMicros);
                if (byStatement) {
                  query.cancel();
                } else {
                  String id = ConcurrencyStressTest.optionalScalar(find);
                  if (id != null) {
                    cancel.setString(1, id);
                    cancel.executeUpdate();
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }, pool);
            String outcome;
            try {
              outcome = ConcurrencyStressTest.scalar(query);
              assertEquals(expected, outcome, "a wrong result");
              outcome = "result";
            } catch (SQLException e) {
              outcome = "57014".equals(e.getSQLState()) ? "57014"
                  : e.getSQLState() + " " + e.getMessage();
            }
            outcomes.merge(outcome, 1, Integer::sum);
            canceller.get();
            // A cancel that arrived after the end must not hit the next statement.
            assertEquals("1", ConcurrencyStressTest.scalar(next));
          }
          System.out.println("[race] cancel vs completion over " + iterations + " iterations, "
              + "delays up to " + span + " us: " + outcomes);
        }
        assertTrue(Set.of("result", "57014").containsAll(outcomes.keySet()),
            outcomes.toString());
        assertServerEmpty();
      });
    } finally {
      pool.shutdownNow();
    }
  }

  private static String outcome(PreparedStatement p) {
    try {
      return Integer.toString(p.executeUpdate());
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  private static String sessionId(Connection c, String applicationName) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT session_id FROM (SHOW SESSIONS) AS s WHERE application_name = ?")) {
      p.setString(1, applicationName);
      return ConcurrencyStressTest.scalar(p);
    }
  }


  /** Closes a connection whose session a CANCEL ended: the close itself may report that. */
  private static void closeCanceled(Connection c) {
    try {
      c.close();
    } catch (SQLException alreadyEnded) {
      // the driver reports the ended session as it closes
    }
  }

  private static void assertServerEmpty() throws InterruptedException {
    assertEquals(new ServerHoldings(0, 0, 0, 0),
        ServerHoldings.awaitEmpty(f.server, Duration.ofSeconds(30)));
  }
}
