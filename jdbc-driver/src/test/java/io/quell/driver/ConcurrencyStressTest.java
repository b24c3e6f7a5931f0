package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * 200 sessions over loopback run queries with known answers while other sessions cancel their
 * queries and sessions at random. Every victim must see 57014 or 57P01, every survivor the
 * right answer, and once all clients are gone the server must hold nothing. Runs for
 * {@code -Dquell.stress.seconds} (20 by default).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ConcurrencyStressTest {
  static final int SESSIONS = 200;
  static final int CANCELLERS = 8;
  static final Set<String> VICTIM_STATES = Set.of("57014", "57P01");

  /** Short scans and aggregations; their answers are taken from the server before the storm. */
  static final List<String> QUERIES = List.of(
      "SELECT COUNT(*) FROM nation",
      "SELECT SUM(s_acctbal) FROM supplier",
      "SELECT COUNT(*) FROM customer WHERE c_acctbal > 0",
      "SELECT COUNT(DISTINCT c_nationkey) FROM customer",
      "SELECT MAX(p_retailprice) FROM part",
      "SELECT r.r_name, COUNT(*) FROM region r JOIN nation n ON n.n_regionkey = r.r_regionkey "
          + "GROUP BY r.r_name ORDER BY 2 DESC, 1 FETCH FIRST 1 ROWS ONLY");
  /**
   * Long victims. Like the VALUES query they are prepared once per session: planning every
   * statement of 200 sessions would leave two cores no time to run anything else.
   */
  static final String SLEEP = "SELECT pg_sleep(1.5)";
  static final String VALUES = "SELECT CAST(? AS BIGINT) * 3 + 1";

  @TempDir static Path dir;
  static ServerFixture f;
  static String savedPoolMax;
  static String savedPoolPerRoute;

  @BeforeAll static void start() throws Exception {
    // Avatica's client pools 25 HTTP connections per server by default: 200 sessions would
    // mostly queue in the client instead of running at the server.
    savedPoolMax = System.setProperty("avatica.pooled.connections.max", "1000");
    savedPoolPerRoute = System.setProperty("avatica.pooled.connections.per.route", "1000");
    f = new ServerFixture(dir);
    try (Connection root = f.root(); Statement s = root.createStatement()) {
      s.executeUpdate("CREATE USER stress WITH PASSWORD 'stress'");
    }
  }

  @AfterAll static void stop() {
    f.close();
    restore("avatica.pooled.connections.max", savedPoolMax);
    restore("avatica.pooled.connections.per.route", savedPoolPerRoute);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  /** What the run saw, for the assertions and the report. */
  static final class Tally {
    final LongAdder statements = new LongAdder();
    final LongAdder correct = new LongAdder();
    final LongAdder wrong = new LongAdder();
    final LongAdder victims = new LongAdder();
    final LongAdder sessionsOpened = new LongAdder();
    final LongAdder queryCancels = new LongAdder();
    final LongAdder sessionCancels = new LongAdder();
    final Map<String, LongAdder> victimStates = new ConcurrentHashMap<>();
    final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger peakQueries = new AtomicInteger();

    @Override public String toString() {
      return "statements=" + statements + " correct=" + correct + " wrong=" + wrong
          + " victims=" + victims + " victimStates=" + victimStates + " sessionsOpened="
          + sessionsOpened + " cancelQuery=" + queryCancels + " cancelSession="
          + sessionCancels + " peakRunningQueries=" + peakQueries + " unexpected="
          + unexpected.size();
    }
  }

  @Test void cancelStormLeavesCorrectResultsAndNoLeaks() throws Exception {
    Map<String, String> expected = new ConcurrentHashMap<>();
    try (Connection root = f.root()) {
      for (String q : QUERIES) {
        expected.put(q, scalar(root, q));
      }
      expected.put(SLEEP, scalar(root, SLEEP));
    }
    long seconds = Long.getLong("quell.stress.seconds", 20);
    Tally tally = new Tally();
    // Sessions connect and prepare before the clock starts: 200 sessions planning at once
    // take two cores some 20 s.
    CountDownLatch ready = new CountDownLatch(SESSIONS + CANCELLERS);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong end = new AtomicLong(Long.MAX_VALUE);
    ExecutorService pool = Executors.newFixedThreadPool(SESSIONS + CANCELLERS);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      futures.add(pool.submit(() -> work(ready, go, end, expected, tally)));
    }
    for (int i = 0; i < CANCELLERS; i++) {
      futures.add(pool.submit(() -> cancel(ready, go, end, tally)));
    }
    assertTrue(ready.await(5, TimeUnit.MINUTES), "sessions not ready");
    go.countDown();
    // On a loaded machine the cancellers may get no turn in the planned time: the run goes on
    // (for at most two more minutes) until something was cancelled, so that is what is tested.
    long planned = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long latest = planned + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < planned
        || tally.victims.sum() == 0 && System.nanoTime() < latest) {
      tally.peakQueries.accumulateAndGet(f.server.engine().registry().queries().size(),
          Math::max);
      Thread.sleep(50);
    }
    end.set(System.nanoTime());
    for (Future<?> future : futures) {
      future.get(300, TimeUnit.SECONDS);
    }
    pool.shutdown();
    ServerHoldings left = ServerHoldings.awaitEmpty(f.server, Duration.ofSeconds(30));
    System.out.println("[stress] " + seconds + " s, " + SESSIONS + " sessions: " + tally
        + " left=" + left);

    assertEquals(List.of(), tally.unexpected, "errors outside 57014/57P01");
    assertEquals(0, tally.wrong.sum(), "wrong results");
    assertTrue(tally.victims.sum() > 0, "no query was cancelled: " + tally);
    assertTrue(tally.correct.sum() > 0, "no query survived: " + tally);
    assertTrue(tally.victimStates.keySet().stream().allMatch(VICTIM_STATES::contains));
    assertEquals(new ServerHoldings(0, 0, 0, 0), left, "left on the server");
  }

  /** One client: runs queries until {@code end}, reconnecting whenever its session is ended. */
  private static Void work(CountDownLatch ready, CountDownLatch go, AtomicLong end,
      Map<String, String> expected, Tally tally) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < end.get()) {
      tally.sessionsOpened.increment();
      try (Connection c = f.connect("stress", "stress", "stress");
           PreparedStatement sleep = c.prepareStatement(SLEEP);
           PreparedStatement values = c.prepareStatement(VALUES)) {
        if (ready.getCount() > 0) {
          ready.countDown();
          go.await();
        }
        while (System.nanoTime() < end.get()) {
          int pick = random.nextInt(10);
          tally.statements.increment();
          try {
            String answer;
            String result;
            if (pick < 4) {
              answer = expected.get(SLEEP);
              result = scalar(sleep);
            } else if (pick < 7) {
              // An answer unique to this execution: no result reaches the wrong statement.
              long k = random.nextLong(1_000_000);
              values.setLong(1, k);
              answer = Long.toString(k * 3 + 1);
              result = scalar(values);
            } else {
              String sql = QUERIES.get(random.nextInt(QUERIES.size()));
              answer = expected.get(sql);
              result = scalar(c, sql);
            }
            (answer.equals(result) ? tally.correct : tally.wrong).increment();
          } catch (SQLException e) {
            if (!VICTIM_STATES.contains(e.getSQLState())) {
              tally.unexpected.add(e.getSQLState() + ": " + e.getMessage());
              return null;
            }
            tally.victims.increment();
            tally.victimStates.computeIfAbsent(e.getSQLState(), s -> new LongAdder()).increment();
            if (e.getSQLState().equals("57P01")) {
              break;
            }
          }
        }
      } catch (SQLException closingDeadSession) {
        // closing a connection whose session was cancelled
      }
    }
    return null;
  }

  /** One canceller: cancels a random running query, or now and then its whole session. */
  private static Void cancel(CountDownLatch ready, CountDownLatch go, AtomicLong end,
      Tally tally) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Connection c = f.root();
         PreparedStatement show = c.prepareStatement("SELECT query_id, session_id "
             + "FROM (SHOW QUERIES) AS q WHERE user_name = 'stress'");
         PreparedStatement cancelQuery = c.prepareStatement("CANCEL QUERY IF EXISTS ?");
         PreparedStatement cancelSession = c.prepareStatement("CANCEL SESSION IF EXISTS ?")) {
      ready.countDown();
      go.await();
      while (System.nanoTime() < end.get()) {
        List<String[]> targets = new ArrayList<>();
        try (ResultSet rs = show.executeQuery()) {
          while (rs.next()) {
            targets.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
        if (!targets.isEmpty()) {
          String[] target = targets.get(random.nextInt(targets.size()));
          boolean session = random.nextInt(5) == 0;
          PreparedStatement p = session ? cancelSession : cancelQuery;
          p.setString(1, target[session ? 1 : 0]);
          (session ? tally.sessionCancels : tally.queryCancels).add(p.executeUpdate());
        }
        Thread.sleep(random.nextInt(5, 50));
      }
    }
    return null;
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return single(rs);
    }
  }

  static String scalar(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      return single(rs);
    }
  }

  /** The single value of {@code p}'s result, or null when it has no row. */
  static String optionalScalar(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String single(ResultSet rs) throws SQLException {
    assertTrue(rs.next());
    String value = rs.getString(1);
    assertFalse(rs.next());
    return value;
  }
}
