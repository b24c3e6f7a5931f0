package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.testing.PostgresServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * JDBC's own cancels through jdbc:quell:// reach the PostgreSQL behind a model's jdbc schema:
 * {@code Statement.cancel()} and {@code setQueryTimeout()} stop the statement in PostgreSQL.
 */
@Timeout(120)
class JdbcSourceCancelTest {
  private static final String SLOW = PostgresServer.SLOW_QUERY;
  private static final String SLOW_VIEW = PostgresServer.SLOW_VIEW;

  static PostgresServer postgres;

  @TempDir Path dir;
  ServerFixture f;

  @BeforeAll static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
    postgres.createSlowView();
  }

  @AfterAll static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach void start() throws Exception {
    // The sample data stays the default schema: the fixture warms the server up on it.
    Path model = dir.resolve("model.json");
    Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"tpch\", \"schemas\": ["
        + "{\"name\": \"tpch\", \"type\": \"custom\", \"factory\": "
        + "\"io.quell.sample.TpchSchemaFactory\", \"operand\": {\"scale\": 0.01}}, "
        + "{\"name\": \"pg\", \"type\": \"jdbc\", " + postgres.jdbcOperand() + "}]}");
    f = new ServerFixture(EngineConfig.builder().dataDir(dir.resolve("data")).model(model));
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void statementCancelCancelsTheStatementInPostgres() throws Exception {
    Statement statement = f.root().createStatement();
    CompletableFuture<SQLException> outcome = new CompletableFuture<>();
    Thread victim = new Thread(() -> {
      try (ResultSet ignored = statement.executeQuery(SLOW)) {
        outcome.complete(null);
      } catch (SQLException e) {
        outcome.complete(e);
      }
    }, "victim");
    victim.start();
    int pid = waitUntilBlockedInPostgres();
    long canceled = System.nanoTime();
    statement.cancel();
    SQLException error = outcome.get(30, TimeUnit.SECONDS);
    assertStopped(error, canceled, pid);
    assertEquals(List.of(1, 2, 3), numbers(statement));
  }

  @Test void queryTimeoutCancelsTheStatementInPostgres() throws Exception {
    Statement statement = f.root().createStatement();
    statement.setQueryTimeout(1);
    long start = System.nanoTime();
    SQLException error = assertThrows(SQLException.class, () -> statement.executeQuery(SLOW));
    assertStopped(error, start + TimeUnit.SECONDS.toNanos(1), -1);
    assertEquals(List.of(1, 2, 3), numbers(statement));
  }

  private static int waitUntilBlockedInPostgres() throws Exception {
    for (int i = 0; i < 400; i++) {
      List<Integer> pids = postgres.backends("active", SLOW_VIEW);
      if (!pids.isEmpty()) {
        return pids.get(0);
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the query never reached PostgreSQL");
  }

  /**
   * {@code error} is 57014 and came within 1 s of {@code canceledNanos}; nothing sleeps in
   * PostgreSQL any more, and backend {@code pid}, unless -1, waits for its next statement.
   */
  private static void assertStopped(SQLException error, long canceledNanos, int pid)
      throws SQLException {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - canceledNanos);
    assertTrue(error != null, "the query succeeded");
    assertEquals("57014", error.getSQLState(), error.getMessage());
    assertTrue(ms < 1000, "failed " + ms + " ms after the cancel");
    assertEquals(List.of(), postgres.backends("active", SLOW_VIEW), "PostgreSQL still sleeps");
    if (pid != -1) {
      assertEquals("idle", postgres.backendState(pid));
    }
  }

  /** The next query through the same statement and schema works. */
  private static List<Integer> numbers(Statement statement) throws SQLException {
    List<Integer> numbers = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery("SELECT n FROM pg.numbers ORDER BY n")) {
      while (rows.next()) {
        numbers.add(rows.getInt(1));
      }
    }
    return numbers;
  }
}
