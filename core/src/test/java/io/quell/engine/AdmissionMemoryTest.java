package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --admission-memory-threshold}: while the SQL memory pool is above its soft limit and a
 * query runs, new queries wait, and start once the memory is given back.
 */
class AdmissionMemoryTest {
  /** A sort of every line item: it holds every row until its result set closes. */
  private static final String SORT = "SELECT l_comment FROM lineitem ORDER BY l_comment";

  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(EngineConfig.builder().dataDir(dir).scaleFactor(0.01)
        .maxSqlMemory(256L << 20).admissionMemoryThreshold(0.001));
    update(f.connect("root"), "CREATE USER ann");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void newQueriesWaitWhileMemoryIsHighAndStartWhenItFrees() throws Exception {
    Connection root = f.connect("root");
    Connection holder = f.connect("ann");
    Connection waiter = f.connect("ann");
    CompletableFuture<Object> holding = CompletableFuture.supplyAsync(() -> holdSort(holder));
    awaitMemoryHeld();
    CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> first(waiter,
        "SELECT 42"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Object> state = List.of();
    while (System.nanoTime() < deadline) {
      state = rows(root, "SELECT queued_queries, held_for_memory "
          + "FROM quell_internal.node_admission").get(0);
      if (state.equals(List.of(1, true))) {
        break;
      }
      Thread.sleep(10);
    }
    assertEquals(List.of(1, true), state, "the new query waits for memory");
    assertFalse(waiting.isDone());
    assertEquals(List.of("queued"), column(root, "SELECT phase FROM (SHOW QUERIES) q "
        + "WHERE query = 'SELECT 42'"));
    holding.get(30, TimeUnit.SECONDS);
    assertEquals(42, ((Number) waiting.get(30, TimeUnit.SECONDS)).intValue(),
        "it ran once the sort's memory came back");
    assertEquals(List.of(0, false), rows(root, "SELECT queued_queries, held_for_memory "
        + "FROM quell_internal.node_admission").get(0));
  }

  @Test void aQueryIsNotHeldWhenNoAdmittedQueryRuns() throws Exception {
    // An admin's sort holds the memory, but admins are not admitted: holding ann's query would
    // wait on nothing that admission can count on.
    Connection admin = f.connect("root");
    CompletableFuture<Object> holding = CompletableFuture.supplyAsync(() -> holdSort(admin));
    awaitMemoryHeld();
    long t0 = System.nanoTime();
    assertEquals(List.of(1), column(f.connect("ann"), "SELECT 1"));
    assertFalse(holding.isDone(), "it ran while the memory was held");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    holding.get(30, TimeUnit.SECONDS);
  }

  private void awaitMemoryHeld() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (f.engine().memory().used() < (1 << 20) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(f.engine().memory().used() >= (1 << 20), "the sort holds its rows");
  }

  /** Reads the sort's first row and keeps the result open for 2 s: the sort holds its rows. */
  private static Object holdSort(Connection c) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SORT)) {
      rs.next();
      Thread.sleep(2_000);
      return rs.getObject(1);
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object first(Connection c, String sql) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
