package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A query whose work runs inside PostgreSQL, through a model's {@code jdbc} schema, stops there
 * when it is cancelled in Quell: the PostgreSQL backend is cancelled too, the client gets 57014
 * at once instead of after the downstream statement ends, and the schema keeps working.
 */
@Timeout(120)
class JdbcSourceCancellationTest {
  /** Blocks inside PostgreSQL for 30 s; far longer than any bound asserted here. */
  private static final String SLOW = PostgresServer.SLOW_QUERY;
  private static final String SLOW_VIEW = PostgresServer.SLOW_VIEW;

  static PostgresServer postgres;

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

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
    Path model = dir.resolve("model.json");
    String source = postgres.jdbcOperand();
    // The same database twice: as a jdbc schema, and as Calcite's JDBC schema factory.
    Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"pg\", \"schemas\": ["
        + "{\"name\": \"pg\", \"type\": \"jdbc\", " + source + "}, "
        + "{\"name\": \"pg_custom\", \"type\": \"custom\", \"factory\": \""
        + "org.apache.calcite.adapter.jdbc.JdbcSchema$Factory\", \"operand\": {" + source + "}}]}");
    f = new EngineFixture(EngineConfig.builder().dataDir(dir.resolve("data")).model(model));
    root = f.connect("root");
    update(root, "CREATE USER alice");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void cancelQueryCancelsTheStatementInPostgres() throws Exception {
    Connection alice = f.connect("alice");
    Victim victim = start(alice);
    long canceled = System.nanoTime();
    assertEquals(1, update(root, "CANCEL QUERY '" + victim.queryId() + "'"));
    assertCanceledPromptly(victim, canceled);
    assertNextQueryWorks(alice);
  }

  @Test void aCustomSchemaOfCalcitesJdbcFactoryCancelsToo() throws Exception {
    Connection alice = f.connect("alice");
    Victim victim = start(alice, "SELECT n FROM pg_custom.slow");
    long canceled = System.nanoTime();
    assertEquals(1, update(root, "CANCEL QUERY '" + victim.queryId() + "'"));
    assertCanceledPromptly(victim, canceled);
    assertEquals(List.of(1, 2, 3), column(alice, "SELECT n FROM pg_custom.numbers ORDER BY n"));
  }

  @Test void statementTimeoutCancelsTheStatementInPostgres() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET statement_timeout = '1s'");
    long started = System.nanoTime();
    Victim victim = start(alice);
    String message = assertCanceledPromptly(victim, started + TimeUnit.SECONDS.toNanos(1));
    assertTrue(message.contains("statement timeout"), message);
    assertNextQueryWorks(alice);
  }

  @Test void cancelSessionCancelsTheStatementInPostgres() throws Exception {
    Connection alice = f.connect("alice");
    String session = sessionId(alice);
    Victim victim = start(alice);
    long canceled = System.nanoTime();
    assertEquals(1, update(root, "CANCEL SESSION '" + session + "'"));
    assertCanceledPromptly(victim, canceled);
    failsWith("57P01", () -> rows(alice, "SELECT 1"));
    assertNextQueryWorks(f.connect("alice"));
  }

  /** The schema's queries run in PostgreSQL, not over a full scan fetched into Quell. */
  @Test void queriesArePushedDownToPostgres() throws Exception {
    String plan = rows(root, "EXPLAIN PLAN FOR SELECT n FROM pg.numbers WHERE n > 1").toString();
    assertTrue(plan.contains("JdbcToEnumerableConverter") && plan.contains("JdbcFilter"), plan);
    assertEquals(List.of(2, 3), column(root, "SELECT n FROM pg.numbers WHERE n > 1 ORDER BY n"));
  }

  /** The slow query running on its own thread, blocked in PostgreSQL backend {@code pid}. */
  record Victim(CompletableFuture<SQLException> error, String queryId, int pid) {
  }

  private Victim start(Connection c) throws Exception {
    return start(c, SLOW);
  }

  private Victim start(Connection c, String sql) throws Exception {
    CompletableFuture<SQLException> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        rows(c, sql);
        done.complete(null);
      } catch (SQLException e) {
        done.complete(e);
      }
    }, "victim");
    t.start();
    for (int i = 0; i < 400; i++) {
      List<Integer> pids = postgres.backends("active", SLOW_VIEW);
      if (!pids.isEmpty()) {
        assertEquals(1, pids.size(), pids::toString);
        List<Object> ids = column(root, "SELECT query_id FROM (SHOW QUERIES) AS q "
            + "WHERE query = '" + sql + "'");
        assertEquals(1, ids.size(), ids::toString);
        return new Victim(done, (String) ids.get(0), pids.get(0));
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the query never reached PostgreSQL");
  }

  /**
   * The victim fails with 57014 within 1 s of {@code canceledNanos}, and its PostgreSQL backend
   * waits for the next statement instead of sleeping on; returns the error's message.
   */
  private static String assertCanceledPromptly(Victim victim, long canceledNanos)
      throws Exception {
    SQLException error = victim.error().get(30, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - canceledNanos);
    assertTrue(error != null, "the query succeeded");
    assertEquals("57014", error.getSQLState(), error.getMessage());
    System.out.println("failed " + ms + " ms after the cancel");
    assertTrue(ms < 1000, "failed " + ms + " ms after the cancel");
    assertEquals(List.of(), postgres.backends("active", SLOW_VIEW), "PostgreSQL still sleeps");
    assertEquals("idle", postgres.backendState(victim.pid()));
    return error.getMessage();
  }

  private static void assertNextQueryWorks(Connection c) throws SQLException {
    assertEquals(List.of(1, 2, 3), column(c, "SELECT n FROM pg.numbers ORDER BY n"));
  }
}
