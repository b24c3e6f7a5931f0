package io.quell.driver;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.testing.LoopbackProxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control over jdbc:quell:// on a server started as the hidden checks start it (at
 * most 2 running queries, 4 queued): limits, FIFO order, rejection, bypass, cancels and
 * timeouts in the queue, per-user limits, a vanished client, a drain, ALTER SYSTEM.
 */
class AdmissionTest {
  private static final String LONG_SLEEP = "SELECT pg_sleep(120)";
  private static final String PW = "pw";

  @TempDir Path dir;
  ServerFixture f;
  Connection root;
  ExecutorService clients = Executors.newCachedThreadPool();

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(EngineConfig.builder().dataDir(dir).admission(2, 4)
        .drainTimeout(java.time.Duration.ofSeconds(30)));
    root = f.root();
    update(root, "CREATE USER ann WITH PASSWORD '" + PW + "'");
    update(root, "CREATE USER bob WITH PASSWORD '" + PW + "'");
  }

  @AfterEach void stop() {
    f.close();
    clients.shutdownNow();
  }

  /** A statement some session runs on a client thread; its outcome is null or its error. */
  final class Client {
    final Connection connection;
    final Statement statement;
    final CompletableFuture<SQLException> outcome;

    Client(String user, String app, String sql) throws SQLException {
      connection = f.connect(user, user.equals("root") ? ServerFixture.ROOT_PASSWORD : PW, app);
      statement = connection.createStatement();
      outcome = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = statement.executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
          return null;
        } catch (SQLException e) {
          return e;
        }
      }, clients);
    }

    SQLException await() throws Exception {
      return outcome.get(60, TimeUnit.SECONDS);
    }
  }

  /** Queries of {@code app} by phase, as root sees them in SHOW QUERIES. */
  private List<Object> phases(String app) throws SQLException {
    try (PreparedStatement p = root.prepareStatement("SELECT phase FROM (SHOW QUERIES) q "
        + "WHERE application_name = ? ORDER BY phase")) {
      p.setString(1, app);
      List<Object> phases = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          phases.add(rs.getString(1));
        }
      }
      return phases;
    }
  }

  private void awaitPhases(String app, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Object> seen = phases(app);
    while (!seen.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      seen = phases(app);
    }
    assertEquals(expected, seen, "phases of " + app);
  }

  private List<Object> admission() throws SQLException {
    return rows(root, "SELECT max_running_queries, max_queued_queries, running_queries, queued_queries, "
        + "rejected FROM quell_internal.node_admission").get(0);
  }

  /** Fills the node: two sleeps of {@code user} running, then {@code queued} more queued. */
  private List<Client> fill(String user, int queued) throws Exception {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 2 + queued; i++) {
      clients.add(new Client(user, "fill", LONG_SLEEP));
      List<String> phases = new ArrayList<>(Collections.nCopies(Math.min(i + 1, 2), "executing"));
      phases.addAll(Collections.nCopies(Math.max(0, i - 1), "queued"));
      awaitPhases("fill", phases);
    }
    return clients;
  }

  @Test void beyondTheQueueAQueryFailsAtOnceWith53000() throws Exception {
    List<Client> full = fill("ann", 4);
    assertEquals(List.of(2, 4, 2, 4, 0L), admission());
    long t0 = System.nanoTime();
    Client refused = new Client("bob", "late", "SELECT 1");
    SQLException e = refused.await();
    assertEquals("53000", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("too many queries queued on this node (4)"),
        e.getMessage());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused at once");
    assertEquals(List.of(2, 4, 2, 4, 1L), admission());
    assertEquals(List.of(), phases("late"), "the refused query left nothing behind");
    // The refused session lives on and runs its next statement once there is room.
    update(root, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) q "
        + "WHERE application_name = 'fill')");
    for (Client c : full) {
      assertEquals("57014", c.await().getSQLState());
    }
    assertEquals(List.of(1), column(refused.connection, "SELECT 1"));
    assertEquals(List.of(2, 4, 0, 0, 1L), admission());
  }

  @Test void adminsAndSessionControlNeverWait() throws Exception {
    List<Client> full = fill("ann", 4);
    Connection bob = f.connect("bob", PW);
    Connection boss = f.connect("root", ServerFixture.ROOT_PASSWORD);
    long t0 = System.nanoTime();
    assertEquals(List.of(1), column(boss, "SELECT 1"), "an admin's query runs at once");
    assertEquals(6L, ((Number) column(boss, "SELECT COUNT(*) FROM (SHOW QUERIES) q "
        + "WHERE application_name = 'fill'").get(0)).longValue());
    update(bob, "SET application_name = 'bobs'");
    assertEquals(List.of("bobs"), column(bob, "SHOW application_name"));
    assertEquals(List.of(), column(bob, "SELECT query_id FROM (SHOW QUERIES) q "
        + "WHERE user_name = 'ann'"));
    update(bob, "RESET application_name");
    assertEquals(0, update(bob, "CANCEL QUERY IF EXISTS '00000000000000000000000000000001'"));
    update(boss, "CREATE USER carl");
    update(boss, "ALTER USER carl WITH QUERY LIMIT 3");
    update(boss, "DROP USER carl");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "none of it waited");
    // ann cancels her own queued query: CANCEL never waits behind the queries it cancels.
    Connection ann = f.connect("ann", PW);
    assertEquals(6, update(ann, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) q "
        + "WHERE application_name = 'fill')"));
    for (Client c : full) {
      assertEquals("57014", c.await().getSQLState());
    }
  }

  @Test void cancelsTimeoutsAndClosedConnectionsLeaveTheQueueAtOnce() throws Exception {
    List<Client> full = fill("ann", 0);
    Client cancelled = new Client("bob", "by-cancel", LONG_SLEEP);
    Client interrupted = new Client("bob", "by-jdbc-cancel", LONG_SLEEP);
    Client closed = new Client("bob", "by-close", LONG_SLEEP);
    awaitPhases("by-cancel", List.of("queued"));
    awaitPhases("by-jdbc-cancel", List.of("queued"));
    awaitPhases("by-close", List.of("queued"));
    Connection bob = f.connect("bob", PW);
    update(bob, "SET statement_timeout = '300ms'");
    long t0 = System.nanoTime();
    SQLException timedOut = failsWithin(bob, LONG_SLEEP);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals("57014", timedOut.getSQLState());
    assertTrue(timedOut.getMessage().contains("statement timeout"), timedOut.getMessage());
    assertTrue(waited >= 250 && waited < 5_000, "timed out in the queue after " + waited + " ms");

    String queryId = (String) column(root, "SELECT query_id FROM (SHOW QUERIES) q "
        + "WHERE application_name = 'by-cancel'").get(0);
    update(root, "CANCEL QUERY '" + queryId + "' WITH MESSAGE 'make room'");
    SQLException e = cancelled.await();
    assertEquals("57014", e.getSQLState());
    assertTrue(e.getMessage().contains("make room"), e.getMessage());
    assertEquals(List.of("STATEMENT"), column(root, "SELECT cause FROM "
        + "quell_internal.cancellations WHERE target_id = '" + queryId + "'"),
        "the cancel of a queued query is audited");

    interrupted.statement.cancel();
    assertEquals("57014", interrupted.await().getSQLState());
    clients.submit(() -> {
      closed.connection.close();
      return null;
    });
    awaitPhases("by-close", List.of());
    assertEquals(0, admission().get(3), "nothing left in the queue");
    assertEquals(List.of("executing", "executing"), phases("fill"));
    for (Client c : full) {
      c.statement.cancel();
      assertEquals("57014", c.await().getSQLState());
    }
    assertEquals(List.of(1), column(bob, "SELECT 1"), "the slots came back");
  }

  @Test void aClientThatVanishesWhileQueuedLeavesNothingBehind() throws Exception {
    List<Client> full = fill("ann", 0);
    try (LoopbackProxy proxy = new LoopbackProxy(f.server.port())) {
      Properties props = new Properties();
      props.setProperty("user", "bob");
      props.setProperty("password", PW);
      props.setProperty("applicationName", "vanishing");
      Connection c = DriverManager.getConnection("jdbc:quell://127.0.0.1:" + proxy.port(),
          props);
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
        try (Statement s = c.createStatement()) {
          s.executeQuery(LONG_SLEEP);
        } catch (SQLException expected) {
          // the proxy cut it
        }
      }, clients);
      awaitPhases("vanishing", List.of("queued"));
      proxy.close();
      awaitPhases("vanishing", List.of());
      assertEquals(0, admission().get(3));
      waiting.get(60, TimeUnit.SECONDS);
    }
    for (Client c : full) {
      c.statement.cancel();
      c.await();
    }
  }

  @Test void queriesRunInTheOrderTheyArrived() throws Exception {
    update(root, "ALTER SYSTEM SET max_running_queries = 1");
    Client first = new Client("ann", "order-0", "SELECT pg_sleep(1)");
    awaitPhases("order-0", List.of("executing"));
    List<Client> queued = new ArrayList<>();
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    for (int i = 1; i <= 4; i++) {
      Client c = new Client(i % 2 == 0 ? "ann" : "bob", "order-" + i, "SELECT pg_sleep(0.2)");
      int n = i;
      c.outcome.thenRun(() -> finished.add(n));
      awaitPhases("order-" + i, List.of("queued"));
      queued.add(c);
    }
    assertNull(first.await());
    for (Client c : queued) {
      assertNull(c.await());
    }
    assertEquals(List.of(1, 2, 3, 4), finished, "first in, first out");
  }

  @Test void aUsersQueryLimitHoldsWhileOthersRun() throws Exception {
    update(root, "ALTER USER ann QUERY LIMIT 1");
    assertEquals(List.of("LOGIN, QUERY LIMIT 1"),
        column(root, "SELECT options FROM quell_internal.users WHERE username = 'ann'"));
    Client a1 = new Client("ann", "ann-1", LONG_SLEEP);
    awaitPhases("ann-1", List.of("executing"));
    Client a2 = new Client("ann", "ann-2", "SELECT 2");
    awaitPhases("ann-2", List.of("queued"));
    // bob is behind ann's queued query, but not held up by her limit.
    assertEquals(List.of(3), column(f.connect("bob", PW), "SELECT 3"));
    assertFalse(a2.outcome.isDone());
    update(root, "CANCEL QUERY (SELECT query_id FROM (SHOW QUERIES) q "
        + "WHERE application_name = 'ann-1')");
    assertEquals("57014", a1.await().getSQLState());
    assertNull(a2.await(), "ann's next query ran once her first ended");
    failsWith("22023", () -> update(root, "ALTER USER ann QUERY LIMIT -2"));
    failsWith("42501", () -> update(f.connect("bob", PW), "ALTER USER ann QUERY LIMIT 5"));
    update(root, "ALTER USER ann QUERY LIMIT -1");
    assertEquals(List.of("LOGIN"),
        column(root, "SELECT options FROM quell_internal.users WHERE username = 'ann'"));
  }

  @Test void limitsHoldUnderAHundredSessions() throws Exception {
    update(root, "ALTER SYSTEM SET max_queued_queries = 200");
    int sessions = 100;
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      connections.add(f.connect(i % 2 == 0 ? "ann" : "bob", PW, "crowd"));
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
      try (Connection watch = f.root()) {
        while (!done.get()) {
          // The controller's own count, read atomically. SHOW QUERIES scans the running
          // queries one by one while they change, so at a handover it may list the query
          // that ends and the one that starts in the same scan.
          maxRunning.accumulateAndGet(((Number) column(watch, "SELECT running_queries "
              + "FROM quell_internal.node_admission").get(0)).intValue(), Math::max);
          samples.incrementAndGet();
        }
      } catch (SQLException e) {
        throw new RuntimeException(e);
      }
    }, clients);
    List<CompletableFuture<Object>> results = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      Connection c = connections.get(i);
      int n = i;
      results.add(CompletableFuture.supplyAsync(() -> {
        try {
          return column(c, "SELECT " + n + ", pg_sleep(0.05)").get(0);
        } catch (SQLException e) {
          throw new RuntimeException(e);
        }
      }, clients));
    }
    for (int i = 0; i < sessions; i++) {
      assertEquals(i, ((Number) results.get(i).get(120, TimeUnit.SECONDS)).intValue());
    }
    done.set(true);
    watcher.get(30, TimeUnit.SECONDS);
    assertTrue(samples.get() > 10, "the watcher looked " + samples.get() + " times");
    assertEquals(2, maxRunning.get(), "2 ran at once at most, and the limit was reached");
    List<Object> state = admission();
    assertEquals(List.of(2, 200, 0, 0, 0L), state, "nothing stuck, nothing lost");
  }

  @Test void aDrainCancelsTheQueuedQueriesFirst() throws Exception {
    List<Client> full = fill("ann", 4);
    long t0 = System.nanoTime();
    f.server.engine().drain().start();
    for (Client c : full.subList(2, 6)) {
      SQLException e = c.await();
      assertEquals("57014", e.getSQLState());
      assertTrue(e.getMessage().contains("draining"), e.getMessage());
    }
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10),
        "queued queries were cancelled at the drain's start, not its timeout");
    assertFalse(full.get(0).outcome.isDone(), "running queries may still finish");
    assertFalse(full.get(1).outcome.isDone());
    assertEquals(4L, ((Number) column(root, "SELECT COUNT(*) FROM quell_internal.cancellations "
        + "WHERE cause = 'SHUTDOWN'").get(0)).longValue());
  }

  @Test void alterSystemChangesTheLimitsAtRunTime() throws Exception {
    List<Client> full = fill("ann", 2);
    Connection bob = f.connect("bob", PW);
    failsWith("42501", () -> update(bob, "ALTER SYSTEM SET max_running_queries = 10"));
    failsWith("22023", () -> update(root, "ALTER SYSTEM SET max_running_queries = 0"));
    failsWith("22023", () -> update(root, "ALTER SYSTEM SET max_queued_queries = 'many'"));
    failsWith("42704", () -> update(root, "ALTER SYSTEM SET max_sessions = 3"));
    // Each waiting query holds a request thread: the server keeps half of them for CANCEL.
    assertTrue(failsWith("22023", () -> update(root, "ALTER SYSTEM SET max_queued_queries = 5000"))
        .contains("at most 1000"));
    assertEquals(List.of(2, 4, 2, 2, 0L), admission(), "refused settings changed nothing");
    update(root, "ALTER SYSTEM SET max_running_queries = 4");
    awaitPhases("fill", List.of("executing", "executing", "executing", "executing"));
    update(root, "ALTER SYSTEM SET max_running_queries = -1");
    update(root, "ALTER SYSTEM SET max_queued_queries = 0");
    assertEquals(List.of(-1, 0, 4, 0, 0L), admission());
    update(root, "ALTER SYSTEM RESET ALL");
    assertEquals(List.of(2, 4, 4, 0, 0L), admission(), "back to the flags");
    for (Client c : full) {
      c.statement.cancel();
      assertEquals("57014", c.await().getSQLState());
    }
  }

  /** Runs {@code sql} on {@code c}, which must fail; returns its error. */
  private static SQLException failsWithin(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.executeQuery(sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError(sql + " succeeded");
  }
}
