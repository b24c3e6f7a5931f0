package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.sessionId;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.List;

/** Each row of SPEC "Errors": the message, the SQLSTATE, and that nothing was cancelled. */
class ErrorsTest {
  @TempDir Path dir;
  EngineFixture f;
  Connection root;
  Connection a;
  Connection b;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE USER alice");
    a = f.connect("alice");
    b = f.connect("alice");
  }

  @AfterEach void stop() {
    f.close();
  }

  private void allAlive() throws Exception {
    assertEquals(List.of(1), column(a, "SELECT 1"));
    assertEquals(List.of(1), column(b, "SELECT 1"));
  }

  @Test void subqueryWithTwoRowsCancelsNothing() throws Exception {
    String msg = failsWith("21000", () -> update(root, "CANCEL SESSION (SELECT session_id "
        + "FROM (SHOW SESSIONS) AS s WHERE user_name = 'alice')"));
    assertTrue(msg.contains("more than one row returned by a subquery used as an expression"), msg);
    allAlive();
  }

  @Test void sourceWithTwoColumnsOrNonCharacterColumnIsRejectedBeforeRunning() throws Exception {
    String two = failsWith("42601", () -> update(root,
        "CANCEL SESSIONS (SELECT session_id, user_name FROM (SHOW SESSIONS) AS s)"));
    assertTrue(two.contains("CANCEL SESSIONS") && two.contains("2 columns"), two);
    String type = failsWith("42804", () -> update(root,
        "CANCEL SESSIONS (SELECT node_id FROM (SHOW SESSIONS) AS s)"));
    assertTrue(type.contains("CANCEL SESSIONS") && type.contains("node_id")
        && type.contains("INTEGER"), type);
    failsWith("42804", () -> update(root, "CANCEL QUERIES (SELECT 1)"));
    allAlive();
  }

  @Test void malformedIds() throws Exception {
    for (String bad : new String[] {"", "abc", "1530fe0e46d2692e000000000000000",
        "1530fe0e46d2692e00000000000000011", "zz30fe0e46d2692e0000000000000001",
        "1530fe0e46d2692e00000000000000é1"}) {
      String msg = failsWith("22023", () -> update(root, "CANCEL SESSION '" + bad + "'"));
      assertEquals("could not parse session ID '" + bad + "'", msg.substring(msg.indexOf("could")).split("\n")[0].replaceAll("\\. Error.*", ""));
    }
    String q = failsWith("22023", () -> update(root, "CANCEL QUERY 'nope'"));
    assertTrue(q.contains("could not parse query ID 'nope'"), q);
    failsWith("22023", () -> update(root, "CANCEL SESSION 42"));
    String huge = "x".repeat(10_000_000);
    String msg = failsWith("22023", () -> update(root, "CANCEL SESSION '" + huge + "'"));
    // Avatica's client quotes the statement once; the server's own message must not repeat it.
    assertTrue(msg.length() < huge.length() + 1000, "error text must not echo 10 MB again");
    allAlive();
  }

  @Test void showOfAnUnknownOrDottedVariable() throws Exception {
    // A dotted name once tripped an assertion in the rewrite that reached the client as an
    // error without text or SQLSTATE (found by the server fuzzer).
    String dotted = failsWith("42704", () -> rows(root, "SHOW quell_internal.cluster_sessions"));
    assertTrue(dotted.contains("unrecognized configuration parameter "
        + "\"quell_internal.cluster_sessions\""), dotted);
    failsWith("42704", () -> rows(root, "SHOW no_such_variable"));
    assertEquals(List.of(List.of("")), rows(root, "SHOW application_name"));
  }

  @Test void unknownIdsAndIfExists() throws Exception {
    String unknown = "1530fe0e46d2692e0000000000000001";
    String msg = failsWith("42704", () -> update(root, "CANCEL SESSION '" + unknown + "'"));
    assertTrue(msg.contains("session ID " + unknown + " not found"), msg);
    failsWith("42704", () -> update(root, "CANCEL QUERY '" + unknown + "'"));
    assertEquals(0, update(root, "CANCEL SESSION IF EXISTS '" + unknown + "'"));
    assertEquals(0, update(root, "CANCEL QUERIES IF EXISTS (VALUES '" + unknown + "')"));
    // all or nothing: the unknown id fails the statement, the known one survives
    String known = sessionId(a);
    failsWith("42704", () -> update(root,
        "CANCEL SESSIONS (VALUES '" + known + "', '" + unknown + "')"));
    allAlive();
    assertEquals(1, update(root,
        "CANCEL SESSIONS IF EXISTS (VALUES '" + known + "', '" + unknown + "')"));
    failsWith("57P01", () -> rows(a, "SELECT 1"));
  }

  @Test void nullIdsAndDuplicatesAndParameters() throws Exception {
    assertEquals(0, update(root, "CANCEL SESSION NULL"));
    String id = sessionId(a);
    try (PreparedStatement ps = root.prepareStatement("CANCEL SESSION ?")) {
      ps.setNull(1, Types.VARCHAR);
      assertEquals(0, ps.executeUpdate());
      allAlive();
      ps.setString(1, id);
      assertEquals(1, ps.executeUpdate());
    }
    failsWith("57P01", () -> rows(a, "SELECT 1"));
    String other = sessionId(b);
    assertEquals(1, update(root, "CANCEL SESSIONS (VALUES '" + other + "', '" + other
        + "', CAST(NULL AS VARCHAR(32)))"));
  }

  @Test void cancelledSessionRefusesEverything() throws Exception {
    update(root, "CANCEL SESSION '" + sessionId(a) + "'");
    String msg = failsWith("57P01", () -> rows(a, "SELECT 1"));
    assertTrue(msg.contains("session was canceled"), msg);
    failsWith("57P01", () -> a.prepareStatement("SELECT 1").executeQuery());
    failsWith("57P01", () -> update(a, "SET application_name = 'x'"));
  }

  @Test void missingPrivilegeNamesUserAndPrivilege() throws Exception {
    String msg = failsWith("42501", () -> update(a, "CANCEL SESSION '" + sessionId(root) + "'"));
    assertTrue(msg.contains("user alice does not have"), msg);
    update(root, "CREATE USER bob");
    Connection bob = f.connect("bob");
    String m2 = failsWith("42501", () -> update(a, "CANCEL SESSION '" + sessionId(bob) + "'"));
    assertTrue(m2.contains("user alice does not have CANCELQUERY privilege"), m2);
    failsWith("42501", () -> update(a, "CREATE USER mallory"));
    assertEquals(List.of(1), column(bob, "SELECT 1"));
  }

  @Test void syntaxErrorsHaveSqlState() throws Exception {
    failsWith("42601", () -> update(root, "CANCEL SESSION"));
    failsWith("42601", () -> update(root, "CANCEL SESSIONS 'x' 'y'"));
    failsWith("42601", () -> rows(root, "SHOW SESSION"));
    failsWith("42704", () -> rows(root, "SHOW no_such_variable"));
  }
}
