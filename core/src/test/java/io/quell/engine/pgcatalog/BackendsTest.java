package io.quell.engine.pgcatalog;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineFixture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL's view of the sessions: {@code pg_stat_activity} shows what SHOW SESSIONS shows
 * (the same sessions, privileges and redaction, the same pid), and
 * {@code pg_cancel_backend}/{@code pg_terminate_backend} cancel as CANCEL QUERY/SESSION do:
 * the same privileges, the same audit.
 */
@Timeout(120)
class BackendsTest {
  private static final String SLEEP = "SELECT pg_sleep(30) AS slept";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    update(root, "CREATE USER bob");
    update(root, "CREATE USER viewer WITH VIEWACTIVITY");
    update(root, "CREATE USER redacted WITH VIEWACTIVITYREDACTED");
    update(root, "CREATE USER canceller WITH CANCELQUERY");
  }

  @AfterEach void stop() {
    f.close();
  }

  private static int pid(Connection c) throws SQLException {
    return (Integer) column(c, "SELECT pg_backend_pid()").get(0);
  }

  @Test void everySessionHasItsPidInShowSessionsAndPgStatActivity() throws Exception {
    Connection alice = f.connect("alice", "alice-app");
    int rootPid = pid(root);
    int alicePid = pid(alice);
    assertNotEquals(rootPid, alicePid);
    assertTrue(rootPid > 0 && alicePid > 0);
    assertEquals(List.of(alicePid), column(root, "SELECT pid FROM (SHOW SESSIONS) AS s "
        + "WHERE session_id = '" + sessionId(alice) + "'"));
    assertEquals(List.of(alicePid), column(root, "SELECT pid FROM quell_internal.node_sessions "
        + "WHERE user_name = 'alice'"));

    rows(alice, "SELECT 'last one' AS q");
    List<List<Object>> activity = rows(root, "SELECT pid, usename, application_name, state, "
        + "query, datname, backend_type, session_id, client_port FROM pg_stat_activity "
        + "ORDER BY pid");
    assertEquals(List.of(
        List.of(rootPid, "root", "", "active", "SELECT pid, usename, application_name, state, "
            + "query, datname, backend_type, session_id, client_port FROM pg_stat_activity "
            + "ORDER BY pid", "quell", "client backend", sessionId(root), -1),
        List.of(alicePid, "alice", "alice-app", "idle", "SELECT 'last one' AS q", "quell",
            "client backend", sessionId(alice), -1)), activity);
    // usesysid is the role's OID in pg_roles; an embedded client has no network address
    assertEquals(List.of(List.of(true, true)), rows(root, "SELECT a.usesysid = r.oid, "
        + "a.client_addr IS NULL FROM pg_stat_activity a JOIN pg_roles r "
        + "ON r.rolname = a.usename WHERE a.pid = " + alicePid));
  }

  @Test void aClosedSessionLeavesPgStatActivity() throws Exception {
    Connection alice = f.connect("alice");
    int alicePid = pid(alice);
    alice.close();
    assertEquals(List.of(), column(root, "SELECT pid FROM pg_stat_activity WHERE pid = "
        + alicePid));
    // SHOW ALL SESSIONS keeps it, with its pid, as history
    assertEquals(List.of("CLOSED"), column(root, "SELECT status FROM (SHOW ALL SESSIONS) AS s "
        + "WHERE pid = " + alicePid + " AND user_name = 'alice'"));
  }

  @Test void pgStatActivityShowsWhatShowSessionsShows() throws Exception {
    Map<String, Connection> users = new TreeMap<>();
    for (String user : List.of("alice", "bob", "viewer", "redacted")) {
      users.put(user, f.connect(user));
    }
    users.put("root", root);
    for (Map.Entry<String, Connection> e : users.entrySet()) {
      Connection c = e.getValue();
      assertEquals(column(c, "SELECT user_name FROM (SHOW LOCAL SESSIONS) AS s ORDER BY 1"),
          column(c, "SELECT usename FROM pg_stat_activity ORDER BY 1"), e.getKey());
    }
    assertEquals(List.of("alice"), column(users.get("alice"),
        "SELECT DISTINCT usename FROM pg_stat_activity"));
    rows(users.get("bob"), "SELECT 'secret of bob' AS s, 42 AS n");
    assertEquals(List.of("SELECT 'secret of bob' AS s, 42 AS n"), column(users.get("viewer"),
        "SELECT query FROM pg_stat_activity WHERE usename = 'bob'"));
    assertEquals(List.of("SELECT _ AS s, _ AS n"), column(users.get("redacted"),
        "SELECT query FROM pg_stat_activity WHERE usename = 'bob'"));
    // one's own query text is never redacted
    assertEquals(List.of("SELECT query FROM pg_stat_activity WHERE query LIKE '%secret%'"),
        column(users.get("redacted"),
            "SELECT query FROM pg_stat_activity WHERE query LIKE '%secret%'"));
  }

  @Test void cancelBackendStopsAnotherSessionsQueryAndIsAudited() throws Exception {
    Connection alice = f.connect("alice");
    int alicePid = pid(alice);
    Running victim = Running.start(alice, SLEEP);
    waitUntilActive(alicePid);
    String cancel = "SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity "
        + "WHERE usename = 'alice'";
    assertEquals(List.of(true), column(root, cancel));
    SQLException error = victim.error().get(10, TimeUnit.SECONDS);
    assertEquals("57014", error.getSQLState(), error.getMessage());
    // the session lives on
    assertEquals(List.of(1), column(alice, "SELECT 1 AS x"));
    assertEquals(List.of(List.of("root", "QUERY", "alice", "STATEMENT", cancel)),
        rows(root, "SELECT canceled_by, target, target_user, cause, statement "
            + "FROM quell_internal.cancellations"));
  }

  @Test void cancelQueryPrivilegeLetsAUserCancelOthers() throws Exception {
    Connection alice = f.connect("alice");
    int alicePid = pid(alice);
    Running victim = Running.start(alice, SLEEP);
    waitUntilActive(alicePid);
    assertEquals(List.of(true), column(f.connect("canceller"),
        "SELECT pg_cancel_backend(" + alicePid + ")"));
    assertEquals("57014", victim.error().get(10, TimeUnit.SECONDS).getSQLState());
  }

  @Test void cancelBackendWithoutThePrivilegeFailsAndCancelsNothing() throws Exception {
    Connection alice = f.connect("alice");
    Connection bob = f.connect("bob");
    int alicePid = pid(alice);
    Running victim = Running.start(alice, SLEEP);
    waitUntilActive(alicePid);
    String message = failsWith("42501",
        () -> rows(bob, "SELECT pg_cancel_backend(" + alicePid + ")"));
    assertTrue(message.contains("user bob does not have CANCELQUERY privilege"), message);
    failsWith("42501", () -> rows(bob, "SELECT pg_terminate_backend(" + alicePid + ")"));
    // nor may a non-admin touch an admin's session, even an idle one
    failsWith("42501", () -> rows(f.connect("canceller"),
        "SELECT pg_terminate_backend(" + pid(root) + ")"));
    Thread.sleep(200);
    assertFalse(victim.error().isDone(), "the victim must still run");
    assertEquals(List.of("active"), column(root,
        "SELECT state FROM pg_stat_activity WHERE pid = " + alicePid));
    assertEquals(List.of(), column(root, "SELECT target FROM quell_internal.cancellations"));
    // a user may cancel their own session's query
    assertEquals(List.of(true), column(f.connect("alice"),
        "SELECT pg_cancel_backend(" + alicePid + ")"));
    assertEquals("57014", victim.error().get(10, TimeUnit.SECONDS).getSQLState());
  }

  @Test void aPidThatIsNoSessionGivesFalse() throws Exception {
    assertEquals(List.of(List.of(false, false)),
        rows(root, "SELECT pg_cancel_backend(987654), pg_terminate_backend(987654)"));
    // an idle session: nothing to cancel, the signal still reaches it
    int alicePid = pid(f.connect("alice"));
    assertEquals(List.of(true), column(root, "SELECT pg_cancel_backend(" + alicePid + ")"));
    assertEquals(List.of(), column(root, "SELECT target FROM quell_internal.cancellations"));
    assertNull(column(root, "SELECT pg_cancel_backend(NULL)").get(0));
  }

  @Test void terminateBackendEndsTheSession() throws Exception {
    Connection alice = f.connect("alice");
    int alicePid = pid(alice);
    Running victim = Running.start(alice, SLEEP);
    waitUntilActive(alicePid);
    String terminate = "SELECT pg_terminate_backend(" + alicePid + ")";
    assertEquals(List.of(true), column(root, terminate));
    assertEquals("57014", victim.error().get(10, TimeUnit.SECONDS).getSQLState());
    failsWith("57P01", () -> rows(alice, "SELECT 1"));
    assertEquals(List.of(), column(root, "SELECT pid FROM pg_stat_activity WHERE pid = "
        + alicePid));
    assertEquals(List.of(List.of("SESSION", "alice", "STATEMENT", terminate)),
        rows(root, "SELECT target, target_user, cause, statement "
            + "FROM quell_internal.cancellations"));
  }

  @Test void cancellingOwnBackendFailsTheStatement() {
    String message = failsWith("57014",
        () -> rows(root, "SELECT pg_cancel_backend(pg_backend_pid())"));
    assertTrue(message.contains("query execution canceled"), message);
  }

  /** Waits until the session with {@code pid} runs a query. */
  private void waitUntilActive(int pid) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (column(root, "SELECT state FROM pg_stat_activity WHERE pid = " + pid)
          .equals(List.of("active"))) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("session " + pid + " never became active");
  }

  /** A statement running on its own thread; the future holds its error, or null. */
  private record Running(CompletableFuture<SQLException> error) {
    static Running start(Connection c, String sql) {
      CompletableFuture<SQLException> done = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          rows(c, sql);
          done.complete(null);
        } catch (SQLException e) {
          done.complete(e);
        }
      }, "victim");
      t.setDaemon(true);
      t.start();
      return new Running(done);
    }
  }
}
