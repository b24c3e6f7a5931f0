package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * sqlcommenter tags of running statements in SHOW QUERIES ({@code query_tags}) and SHOW
 * SESSIONS ({@code active_query_tags}), and a cancel of one dashboard's queries by its tag.
 */
@Timeout(120)
class TaggedQueriesTest {
  private static final String DASHBOARD =
      "SELECT pg_sleep(60) /*controller='dashboard',route='%2Freports%2Fq1'*/";
  private static final String REPORT = "SELECT pg_sleep(60) /*controller='report'*/";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void tagsAreListedAndACancelByTagHitsOnlyThoseQueries() throws Exception {
    Connection a = f.connect("root", "bi");
    Connection b = f.connect("root", "bi");
    Connection c = f.connect("root", "bi");
    CompletableFuture<SQLException> first = run(a, DASHBOARD);
    CompletableFuture<SQLException> second = run(b, DASHBOARD);
    CompletableFuture<SQLException> other = run(c, REPORT);
    awaitRunning(3);
    assertEquals(List.of("controller=dashboard,route=/reports/q1",
            "controller=dashboard,route=/reports/q1", "controller=report"),
        column(root, "SELECT query_tags FROM (SHOW QUERIES) WHERE application_name = 'bi' "
            + "ORDER BY query_tags"));
    assertEquals(List.of("controller=dashboard,route=/reports/q1",
            "controller=dashboard,route=/reports/q1", "controller=report"),
        column(root, "SELECT active_query_tags FROM (SHOW SESSIONS) "
            + "WHERE application_name = 'bi' ORDER BY 1"));
    assertEquals(List.of(""), column(root, "SELECT active_query_tags FROM (SHOW SESSIONS) "
        + "WHERE application_name <> 'bi'"), "the session running SHOW has no tags");

    assertEquals(2, update(root, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) "
        + "WHERE query_tags LIKE '%controller=dashboard%')"));
    assertEquals("57014", first.get(30, TimeUnit.SECONDS).getSQLState());
    assertEquals("57014", second.get(30, TimeUnit.SECONDS).getSQLState());
    Thread.sleep(200);
    assertFalse(other.isDone(), "the report runs on");
    assertEquals(List.of("controller=report"),
        column(root, "SELECT query_tags FROM quell_internal.node_queries "
            + "WHERE application_name = 'bi'"));
  }

  @Test void aStatementPreparedOnceKeepsItsTagsOnEveryExecution() throws Exception {
    Connection bi = f.connect("root", "bi");
    try (PreparedStatement p = bi.prepareStatement(
        "SELECT pg_sleep(?) /*action='refresh',tile='7'*/")) {
      for (int run = 0; run < 2; run++) {
        p.setDouble(1, 60);
        CompletableFuture<SQLException> victim = CompletableFuture.supplyAsync(() ->
            assertThrows(SQLException.class, () -> p.executeQuery().close()));
        awaitRunning(1);
        assertEquals(List.of("action=refresh,tile=7"), column(root,
            "SELECT query_tags FROM (SHOW QUERIES) WHERE application_name = 'bi'"));
        assertEquals(1, update(root, "CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) "
            + "WHERE query_tags = 'action=refresh,tile=7')"));
        assertEquals("57014", victim.get(30, TimeUnit.SECONDS).getSQLState());
      }
    }
  }

  @Test void aMalformedTagCommentIsNoError() throws Exception {
    Connection bi = f.connect("root", "bi");
    assertEquals(List.of(List.of(1)), rows(bi, "SELECT 1 /*a='%zz',b*/"));
    assertEquals(List.of(List.of(2)), rows(bi, "SELECT 2 /*a='1' b='2'*/"));
  }

  private static CompletableFuture<SQLException> run(Connection c, String sql) {
    return CompletableFuture.supplyAsync(() ->
        assertThrows(SQLException.class, () -> rows(c, sql)));
  }

  private void awaitRunning(int count) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      if (column(root, "SELECT COUNT(*) FROM (SHOW QUERIES) WHERE application_name = 'bi' "
          + "AND query LIKE '%pg_sleep%'").equals(List.of((long) count))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(count + " queries never ran at once");
  }
}
