package io.quell.execution.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.execution.QueryCanceledException;
import io.quell.execution.QueryThread;
import io.quell.session.CancelCause;
import io.quell.memory.MemoryPool;
import io.quell.session.ClosedSessions;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;
import io.quell.testing.PostgresServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The moments of a statement's life at which its query can be cancelled, against a real
 * PostgreSQL: before the statement executes, and racing the start of its execution, where
 * PostgreSQL ignores a cancel that reaches it before the statement; and a driver that loses
 * every cancel.
 */
@Timeout(120)
class CancellableDataSourceTest {
  private static final String SLEEP = "SELECT pg_sleep(30)";

  static PostgresServer postgres;
  static CancellableDataSource source;
  static Session session;

  @BeforeAll static void start() throws Exception {
    postgres = PostgresServer.start();
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(postgres.jdbcUrl());
    pg.setUser(PostgresServer.USER);
    source = new CancellableDataSource(pg);
    session = new SessionRegistry(1, new ClosedSessions(Duration.ZERO, 0),
        new MemoryPool(1 << 30, true), (query, message) -> { }, query -> { })
        .open("root", "test", "", pg.getConnection());
  }

  @AfterAll static void stop() throws SQLException {
    session.connection().close();
    postgres.close();
  }

  @Test void aCancelBeforeExecutionFailsTheExecution() throws Exception {
    AtomicBoolean flag = new AtomicBoolean();
    RunningQuery query = session.begin(SLEEP, flag);
    try (Connection c = source.getConnection()) {
      long start = System.nanoTime();
      assertThrows(QueryCanceledException.class, () -> QueryThread.run(flag, query, () -> {
        try (Statement s = c.createStatement()) {
          query.cancel(CancelReason.of(CancelCause.STATEMENT));
          return s.executeQuery(SLEEP);
        }
      }));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
      assertConnectionWorks(c);
    } finally {
      session.finish(query);
    }
  }

  /** Cancels at random moments around the start; some of them PostgreSQL never sees. */
  @Test void aCancelRacingTheStartOfExecutionStopsIt() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      long delayMicros = ThreadLocalRandom.current().nextLong(3000);
      try (Connection c = source.getConnection()) {
        String outcome = cancelDuringSleep(c, delayMicros);
        outcomes.merge(outcome, 1, Integer::sum);
        if (!outcome.startsWith("08")) {
          assertConnectionWorks(c);
        }
      }
    }
    System.out.println("outcomes of racing cancels: " + outcomes);
    assertConnectionWorks(source.getConnection());
  }

  /** A source whose driver loses every cancel: the query ends all the same. */
  @Test void anIgnoredCancelAbortsTheConnection() throws Exception {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(postgres.jdbcUrl());
    pg.setUser(PostgresServer.USER);
    CancellableDataSource deaf = new CancellableDataSource(ignoringCancels(pg));
    try (Connection c = deaf.getConnection()) {
      assertEquals("08006", cancelDuringSleep(c, 100_000));
    }
    assertConnectionWorks(deaf.getConnection());
  }

  /**
   * Sleeps in PostgreSQL on {@code c} and cancels the sleep's query after {@code delayMicros};
   * returns how the sleep ended, within 1 s of the cancel: "canceled before it was sent" or the
   * SQLSTATE of the driver's error.
   */
  private static String cancelDuringSleep(Connection c, long delayMicros) throws Exception {
    AtomicBoolean flag = new AtomicBoolean();
    RunningQuery query = session.begin(SLEEP, flag);
    AtomicLong canceled = new AtomicLong();
    Thread canceller = new Thread(() -> {
      sleepMicros(delayMicros);
      canceled.set(System.nanoTime());
      query.cancel(CancelReason.of(CancelCause.STATEMENT));
    });
    String outcome;
    try {
      canceller.start();
      QueryThread.run(flag, query, () -> {
        try (PreparedStatement s = c.prepareStatement(SLEEP)) {
          return s.executeQuery();
        }
      });
      throw new AssertionError("the sleep was not canceled");
    } catch (QueryCanceledException e) {
      outcome = "canceled before it was sent";
    } catch (SQLException e) {
      outcome = e.getSQLState();
    } finally {
      canceller.join();
      session.finish(query);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - canceled.get());
    assertTrue(ms < 1000, outcome + " after " + ms + " ms, " + delayMicros + " us delay");
    assertTrue(Set.of("canceled before it was sent", "57014", "08006").contains(outcome),
        outcome);
    return outcome;
  }

  private static DataSource ignoringCancels(DataSource pg) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = method.invoke(pg, args);
          if (!(result instanceof Connection connection)) {
            return result;
          }
          return Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, m, a) -> {
                Object made = m.invoke(connection, a);
                return made instanceof Statement statement ? deaf(statement, m.getReturnType())
                    : made;
              });
        });
  }

  private static Object deaf(Statement statement, Class<?> type) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (p, m, a) -> {
          if (m.getName().equals("cancel")) {
            return null;
          }
          try {
            return m.invoke(statement, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static void assertConnectionWorks(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }

  private static void sleepMicros(long micros) {
    long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
