package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.testing.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code CANCEL ... WITH MESSAGE}: the victim learns why, in its 57014 and in the 57P01 of a
 * cancelled session's later calls; the audit keeps the message; a message too long changes
 * nothing.
 */
@Timeout(120)
class CancelMessageTest {
  private static final String SLEEP = "SELECT pg_sleep(60)";

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

  @Test void theVictimOfCancelQueryReadsTheMessage() throws Exception {
    Connection alice = f.connect("alice");
    CompletableFuture<SQLException> victim = sleep(alice);
    String id = awaitQuery("alice");
    assertEquals(1, update(root, "CANCEL QUERY '" + id + "' WITH MESSAGE "
        + "'rebuilding the index, back at 10:00 -- it''s \"planned\"'"));
    SQLException error = victim.get(30, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState());
    assertTrue(error.getMessage().contains("query execution canceled, message from the "
        + "canceler: \"rebuilding the index, back at 10:00 -- it's \"planned\"\""),
        error.getMessage());
    assertEquals(List.of(List.of("QUERY", "STATEMENT",
        "rebuilding the index, back at 10:00 -- it's \"planned\"")), audit(id));
    assertEquals(List.of(true), column(alice, "SELECT pg_sleep(0.01)"),
        "the session lives on");
  }

  @Test void aCancelledSessionTellsTheMessageOnEveryLaterCall() throws Exception {
    Connection alice = f.connect("alice");
    String session = Sql.sessionId(alice);
    CompletableFuture<SQLException> victim = sleep(alice);
    awaitQuery("alice");
    try (PreparedStatement cancel = root.prepareStatement(
        "CANCEL SESSIONS (SELECT session_id FROM (SHOW SESSIONS) WHERE user_name = ?) "
            + "WITH MESSAGE ?")) {
      cancel.setString(1, "alice");
      cancel.setString(2, "your account moves to the new cluster");
      assertEquals(1, cancel.executeUpdate());
    }
    SQLException error = victim.get(30, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState());
    assertTrue(error.getMessage().contains(
        "message from the canceler: \"your account moves to the new cluster\""),
        error.getMessage());
    for (int call = 0; call < 2; call++) {
      String later = failsWith("57P01", () -> column(alice, "SELECT 1"));
      assertTrue(later.contains("session was canceled, message from the canceler: "
          + "\"your account moves to the new cluster\""), later);
    }
    assertEquals(List.of(List.of("SESSION", "STATEMENT", "your account moves to the new cluster")),
        audit(session));
  }

  @Test void withoutAMessageTheTextIsAsBeforeAndTheAuditHasNull() throws Exception {
    Connection alice = f.connect("alice");
    CompletableFuture<SQLException> victim = sleep(alice);
    String id = awaitQuery("alice");
    try (PreparedStatement cancel = root.prepareStatement(
        "CANCEL QUERY ? WITH MESSAGE ?")) {
      cancel.setString(1, id);
      cancel.setString(2, null);
      assertEquals(1, cancel.executeUpdate());
    }
    SQLException error = victim.get(30, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState());
    assertFalse(error.getMessage().contains("message from the canceler"), error.getMessage());
    List<List<Object>> audit = audit(id);
    assertEquals(1, audit.size());
    assertNull(audit.get(0).get(2));
  }

  @Test void aMessageOverAThousandCharactersIsRefusedAndCancelsNothing() throws Exception {
    Connection alice = f.connect("alice");
    CompletableFuture<SQLException> victim = sleep(alice);
    String id = awaitQuery("alice");
    char[] text = new char[1001];
    Arrays.fill(text, 'x');
    String msg = failsWith("22023", () -> update(root,
        "CANCEL QUERY '" + id + "' WITH MESSAGE '" + new String(text) + "'"));
    assertTrue(msg.contains("1001 characters; at most 1000"), msg);
    assertFalse(victim.isDone(), "the query still runs");
    assertEquals(List.of(), audit(id));
    // Exactly 1,000 is allowed.
    assertEquals(1, update(root,
        "CANCEL QUERY '" + id + "' WITH MESSAGE '" + new String(text, 0, 1000) + "'"));
    assertEquals("57014", victim.get(30, TimeUnit.SECONDS).getSQLState());
  }

  @Test void theMessageNeedsAString() {
    String msg = failsWith("42601", () -> update(root,
        "CANCEL QUERY IF EXISTS '00000000000000000000000000000001' WITH MESSAGE 42"));
    assertTrue(msg.contains("MESSAGE"), msg);
  }

  private CompletableFuture<SQLException> sleep(Connection c) {
    return CompletableFuture.supplyAsync(() ->
        assertThrows(SQLException.class, () -> rows(c, SLEEP)));
  }

  /** The id of {@code user}'s running sleep, once it runs. */
  private String awaitQuery(String user) throws Exception {
    String sql = "SELECT query_id FROM (SHOW QUERIES) WHERE user_name = '" + user
        + "' AND query = '" + SLEEP.replace("'", "''") + "'";
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      List<Object> ids = column(root, sql);
      if (!ids.isEmpty()) {
        return (String) ids.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError(user + "'s query never started");
  }

  /** Target kind, cause and message of the audit records about {@code id}. */
  private List<List<Object>> audit(String id) throws SQLException {
    return rows(root, "SELECT target, cause, message FROM quell_internal.cancellations "
        + "WHERE target_id = '" + id + "'");
  }
}
