package io.quell.engine;

import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.metrics.StatementStatistics;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code quell_internal.statement_statistics}: one row per fingerprint and user, literal
 * variants together, errors and cancels counted, visible and redacted as SHOW QUERIES is,
 * reset by an admin only, and bounded however many distinct texts arrive.
 */
@Timeout(300)
class StatementStatisticsTest {
  private static final String STATS = "SELECT fingerprint, query, user_name, calls, \"rows\", "
      + "errors, canceled, total_ms, mean_ms, max_ms, p99_ms, first_seen, last_seen "
      + "FROM quell_internal.statement_statistics ";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    update(root, "CREATE USER viewer WITH VIEWACTIVITY");
    update(root, "CREATE USER redacted VIEWACTIVITYREDACTED");
  }

  @AfterEach void stop() {
    f.close();
  }

  private List<List<Object>> statsOf(Connection c, String fingerprintLike) throws Exception {
    return rows(c, STATS + "WHERE fingerprint LIKE '" + fingerprintLike + "' ORDER BY user_name");
  }

  @Test void literalVariantsAreOneFingerprint() throws Exception {
    rows(root, "SELECT n_name FROM nation WHERE n_nationkey = 1");
    rows(root, "select  n_name FROM nation\n WHERE n_nationkey = 22 /* a comment */");
    rows(root, "SELECT n_name FROM nation WHERE n_nationkey = 3 "
        + "/*traceparent='00-abc-01'*/");
    List<List<Object>> stats = statsOf(root, "%from nation where n_nationkey%");
    assertEquals(1, stats.size(), stats.toString());
    List<Object> row = stats.get(0);
    assertEquals("select n_name from nation where n_nationkey = ?", row.get(0));
    assertEquals("root", row.get(2));
    assertEquals(3L, row.get(3));
    assertEquals(3L, row.get(4), "one row each");
    assertEquals(0L, row.get(5));
    assertEquals(0L, row.get(6));
    double total = (Double) row.get(7);
    double mean = (Double) row.get(8);
    double max = (Double) row.get(9);
    double p99 = (Double) row.get(10);
    assertEquals(total / 3, mean, 1e-9);
    assertTrue(max > 0 && max <= total && p99 > 0 && p99 <= max, row.toString());
    assertTrue(((java.sql.Timestamp) row.get(11)).compareTo((java.sql.Timestamp) row.get(12))
        <= 0);
  }

  @Test void errorsAndCancelsAreCounted() throws Exception {
    failsWith("42000", () -> rows(root, "SELECT * FROM no_such_table WHERE x = 1"));
    failsWith("42601", () -> rows(root, "SELEC 1"));
    update(root, "SET statement_timeout = '100ms'");
    failsWith("57014", () -> rows(root, "SELECT pg_sleep(5)"));
    failsWith("57014", () -> rows(root, "SELECT pg_sleep(6)"));
    update(root, "SET statement_timeout = 0");
    List<Object> sleep = statsOf(root, "select pg_sleep(?)").get(0);
    assertEquals(2L, sleep.get(3));
    assertEquals(2L, sleep.get(6), "canceled");
    assertEquals(0L, sleep.get(5), "errors");
    assertTrue((Double) sleep.get(9) >= 100, "ran until its timeout: " + sleep);
    List<Object> missing = statsOf(root, "select * from no_such_table%").get(0);
    assertEquals(1L, missing.get(3));
    assertEquals(1L, missing.get(5), "errors");
    assertEquals(0L, missing.get(6));
    assertEquals(1L, statsOf(root, "selec ?").get(0).get(5), "a syntax error is an error too");
  }

  /**
   * The fingerprint found while planning is the statement's own, not that of a query planned
   * inside it: a CANCEL's subquery is counted under the CANCEL.
   */
  @Test void aStatementWithASubqueryIsCountedAsItself() throws Exception {
    update(root, "CANCEL QUERIES IF EXISTS (WITH x AS (SHOW QUERIES) SELECT query_id FROM x "
        + "WHERE query LIKE 'no such query %')");
    assertEquals(1L, statsOf(root, "cancel queries if exists (%").get(0).get(3));
    assertEquals(List.of(), statsOf(root, "with x as (show queries)%"));
  }

  @Test void visibleAndRedactedAsShowQueries() throws Exception {
    Connection alice = f.connect("alice");
    rows(alice, "SELECT n_name FROM nation WHERE n_name = 'ALGERIA'");
    rows(root, "SELECT n_name FROM nation WHERE n_name = 'BRAZIL'");
    String like = "select n_name from nation where n_name = ?";
    assertEquals(List.of(List.of("alice")),
        rows(alice, "SELECT user_name FROM quell_internal.statement_statistics "
            + "WHERE fingerprint = '" + like + "'"), "alice sees her own only");
    assertEquals(2, statsOf(f.connect("viewer"), like).size());
    Connection redactedUser = f.connect("redacted");
    rows(redactedUser, "SELECT 'mine' AS m");
    List<List<Object>> redacted = statsOf(redactedUser, like);
    assertEquals(2, redacted.size());
    assertEquals("SELECT n_name FROM nation WHERE n_name = _", redacted.get(1).get(1),
        "another user's constants hidden");
    assertEquals(List.of(List.of("SELECT 'mine' AS m")), rows(redactedUser,
        "SELECT query FROM quell_internal.statement_statistics WHERE fingerprint = "
            + "'select ? as m'"), "its own text in full");
    assertEquals("SELECT n_name FROM nation WHERE n_name = 'BRAZIL'",
        statsOf(root, like).get(1).get(1));
  }

  @Test void onlyAnAdminResets() throws Exception {
    Connection alice = f.connect("alice");
    rows(alice, "SELECT 1 AS x");
    String message = failsWith("42501",
        () -> rows(alice, "SELECT quell_internal.reset_statement_statistics()"));
    assertTrue(message.contains("admin"), message);
    assertTrue(f.engine().statementStatistics().size() > 1);
    List<List<Object>> reset =
        rows(root, "SELECT quell_internal.reset_statement_statistics()");
    assertTrue((Long) reset.get(0).get(0) > 1, reset.toString());
    assertEquals(List.of(List.of("select quell_internal.reset_statement_statistics()")),
        rows(root, "SELECT fingerprint FROM quell_internal.statement_statistics"),
        "only the reset itself, which finished after it");
  }

  @Test void boundedUnderFiftyThousandDistinctTexts() throws Exception {
    Session session = f.node().session(root).orElseThrow();
    for (int i = 0; i < 50_000; i++) {
      RunningQuery query = session.begin("SELECT " + i + " AS c" + i, new AtomicBoolean());
      session.finish(query);
    }
    assertEquals(StatementStatistics.MAX_ENTRIES, f.engine().statementStatistics().size());
    assertEquals(List.of(List.of(1L)), rows(root, "SELECT calls FROM "
        + "quell_internal.statement_statistics WHERE fingerprint = 'select ? as c49999'"),
        "the most recent kept");
    assertEquals(List.of(), rows(root, "SELECT calls FROM "
        + "quell_internal.statement_statistics WHERE fingerprint = 'select ? as c0'"),
        "the least recent dropped");
  }

  @Test void switchedOffRecordsNothing() throws Exception {
    try (EngineFixture off = new EngineFixture(EngineConfig.builder()
        .dataDir(dir.resolve("off")).scaleFactor(0.01)
        .monitoring(new io.quell.metrics.MonitoringConfig(false, java.time.Duration.ZERO,
            false)))) {
      Connection c = off.connect("root");
      rows(c, "SELECT 1 AS x");
      assertEquals(List.of(), rows(c, "SELECT * FROM quell_internal.statement_statistics"));
    }
  }
}
