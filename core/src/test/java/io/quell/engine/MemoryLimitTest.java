package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Every kind of operator that holds rows accounts for them: driven past the session's
 * {@code max_query_memory} it fails 53200 naming the limit and itself, the session carries on,
 * the audit says MEMORY and the node's pool is back to zero.
 */
@Timeout(120)
class MemoryLimitTest {
  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
  }

  @AfterEach void stop() {
    f.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the sort|SELECT * FROM lineitem ORDER BY l_comment",
      "the hash join|SELECT COUNT(*) FROM part p, lineitem l "
          + "WHERE l.l_partkey = p.p_partkey AND p.p_size > 10",
      "the aggregation|SELECT l_comment, COUNT(*) FROM lineitem GROUP BY l_comment",
      "the aggregation|SELECT COUNT(*) FROM (SELECT DISTINCT l_comment, l_orderkey FROM lineitem)",
      "the nested-loop join|SELECT COUNT(*) FROM part p JOIN lineitem l "
          + "ON p.p_partkey < l.l_partkey AND p.p_partkey < 0",
      "UNION|SELECT l_comment FROM lineitem UNION SELECT o_comment FROM orders",
      "the aggregation|SELECT l_returnflag, ARRAY_AGG(l_comment) FROM lineitem "
          + "GROUP BY l_returnflag",
      "the aggregation|SELECT ARRAY_AGG(l_comment) FROM lineitem",
      "the window|SELECT l_orderkey, ROW_NUMBER() OVER (PARTITION BY l_partkey "
          + "ORDER BY l_comment) FROM lineitem"})
  void anOperatorPastTheLimitFails53200(String operator, String sql) throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET max_query_memory = '2MB'");
    String message = failsWith("53200", () -> rows(alice, sql));
    assertTrue(message.contains("query exceeded its memory limit of 2.0 MiB"), message);
    assertTrue(message.contains(operator + " asked for"), message);
    assertEquals(List.of(1), column(alice, "SELECT 1"), "the session carries on");
    assertEquals(0L, f.engine().memory().used(), "everything back in the pool");
    List<Object> audit = column(root, "SELECT cause FROM quell_internal.cancellations");
    assertEquals(List.of("MEMORY"), audit);
  }

  @Test void whatHoldsLittleRunsUnderASmallLimit() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET max_query_memory = '2MB'");
    assertEquals(List.of(60175L),
        column(alice, "SELECT COUNT(*) FROM lineitem WHERE l_comment <> ''"));
    assertEquals(3, rows(alice, "SELECT l_returnflag, SUM(l_quantity) FROM lineitem "
        + "GROUP BY l_returnflag").size());
    assertEquals("2MB", column(alice, "SHOW max_query_memory").get(0));
    assertEquals(0L, f.engine().memory().used());
    assertTrue(f.engine().memory().peak() > 0, "the aggregation's groups were accounted");
  }

  @Test void theNodePoolLimitsEveryQuery() throws Exception {
    try (EngineFixture small = new EngineFixture(EngineConfig.builder().dataDir(dir.resolve("s"))
        .scaleFactor(0.01).maxSqlMemory(3L << 20))) {
      Connection c = small.connect("root");
      String message = failsWith("53200",
          () -> rows(c, "SELECT * FROM lineitem ORDER BY l_comment"));
      assertTrue(message.contains("memory limit of 3.0 MiB"), message);
      assertEquals(0L, small.engine().memory().used());
    }
  }

  @Test void theNodeAndItsQueriesShowTheirMemory() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET max_query_memory = '2MB'");
    failsWith("53200", () -> rows(alice, "SELECT * FROM lineitem ORDER BY l_comment"));
    List<List<Object>> memory = rows(root, "SELECT pool_limit_bytes, pool_used_bytes, "
        + "pool_peak_bytes, heap_max_bytes, queries_stopped_by_limit, queries_stopped_by_guard "
        + "FROM quell_internal.node_memory");
    assertEquals(1, memory.size());
    List<Object> row = memory.get(0);
    assertEquals(f.engine().config().sqlMemoryPool(), row.get(0));
    assertEquals(0L, row.get(1));
    assertTrue((Long) row.get(2) >= 2L << 20, "peak " + row.get(2));
    assertEquals(Runtime.getRuntime().maxMemory(), row.get(3));
    assertEquals(List.of(1L, 0L), row.subList(4, 6));
    failsWith("42501", () -> rows(alice, "SELECT * FROM quell_internal.node_memory"));
    // SHOW QUERIES lists the memory a running query holds; this one holds nothing.
    assertEquals(List.of(List.of(0L, 0L)), rows(root, "SELECT alloc_bytes, max_alloc_bytes "
        + "FROM (SHOW QUERIES) AS q WHERE user_name = 'root'"));
    assertTrue((Long) column(root, "SELECT max_alloc_bytes FROM (SHOW SESSIONS) AS s "
        + "WHERE user_name = 'alice'").get(0) > 1L << 20, "alice's session peaked near 2 MiB");
  }

  @Test void sessionControlIsNotStoppedByTheQueryLimit() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET max_query_memory = '2MB'");
    // The subquery holds tens of thousands of groups, past 2 MB.
    assertEquals(0, update(alice, "CANCEL QUERIES IF EXISTS (SELECT q FROM (SELECT DISTINCT "
        + "'1530fe0e46d2692e0000000000000001' AS q, l_comment FROM lineitem) AS t)"));
    assertEquals(0L, f.engine().memory().used());
    assertTrue(f.engine().memory().peak() > 2L << 20, "it was accounted all the same");
  }

  /** Line items paired by part: holds groups for seconds at this scale. */
  private static final String HOLDING_FOR_SECONDS = "SELECT COUNT(*) FROM (SELECT DISTINCT "
      + "l1.l_comment AS a, l2.l_comment AS b FROM lineitem l1 JOIN lineitem l2 "
      + "ON l1.l_partkey = l2.l_partkey) t";

  @Test void thePoolIsBackToZeroAfterTimeoutsErrorsAndCancels() throws Exception {
    Connection alice = f.connect("alice");
    update(alice, "SET statement_timeout = '300ms'");
    failsWith("57014", () -> rows(alice, HOLDING_FOR_SECONDS));
    assertEquals(0L, f.engine().memory().used(), "after a timeout");
    update(alice, "RESET statement_timeout");

    // The sort key divides by zero at the line items numbered 7, after others are held.
    failsWith("22012", () -> rows(alice, "SELECT * FROM lineitem "
        + "ORDER BY 1 / (l_linenumber - 7)"));
    assertEquals(0L, f.engine().memory().used(), "after an error mid-query");

    java.util.concurrent.CompletableFuture<String> cancelled =
        java.util.concurrent.CompletableFuture.supplyAsync(() ->
            failsWith("57014", () -> rows(alice, HOLDING_FOR_SECONDS)));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (f.engine().memory().used() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(f.engine().memory().used() > 0, "the query holds memory before it is cancelled");
    assertEquals(1, update(root, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) AS q "
        + "WHERE user_name = 'alice')"));
    cancelled.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0L, f.engine().memory().used(), "after a cancel");
  }

  @Test void aBadLimitIsRefused() throws Exception {
    failsWith("22023", () -> update(root, "SET max_query_memory = 'lots'"));
    assertEquals("0", column(root, "SHOW max_query_memory").get(0));
  }
}
