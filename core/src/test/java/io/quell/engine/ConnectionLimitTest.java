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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** CONNECTION LIMIT on a single node: refused logins leave nothing behind; admins are exempt. */
class ConnectionLimitTest {
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

  @Test void aLoginBeyondTheLimitIsRefusedAndCreatesNothing() throws Exception {
    update(root, "CREATE USER carol WITH CONNECTION LIMIT 2");
    Connection first = f.connect("carol");
    f.connect("carol");
    String msg = failsWith("53300", () -> f.connect("carol"));
    assertTrue(msg.contains("too many connections for role \"carol\""), msg);
    assertEquals(List.of(2L), sessions("carol"), "the refused login left no session");
    first.close();
    f.connect("carol");
    assertEquals(List.of(2L), sessions("carol"));
  }

  @Test void alterChangesTheLimitAndMinusOneLiftsIt() throws Exception {
    update(root, "CREATE USER dave");
    f.connect("dave");
    f.connect("dave");
    update(root, "ALTER USER dave WITH CONNECTION LIMIT 2");
    failsWith("53300", () -> f.connect("dave"));
    update(root, "ALTER USER dave CONNECTION LIMIT -1");
    f.connect("dave");
    update(root, "ALTER USER dave CONNECTION LIMIT 0");
    failsWith("53300", () -> f.connect("dave"));
    assertEquals(List.of(3L), sessions("dave"), "sessions already open are not ended");
  }

  @Test void showUsersListsTheLimit() throws Exception {
    update(root, "CREATE USER erin WITH VIEWACTIVITY CONNECTION LIMIT 5");
    update(root, "CREATE ROLE ops CONNECTION LIMIT 1");
    update(root, "CREATE USER frank");
    assertEquals(List.of(List.of("erin", "LOGIN, VIEWACTIVITY, CONNECTION LIMIT 5"),
            List.of("frank", "LOGIN"), List.of("ops", "CONNECTION LIMIT 1")),
        rows(root, "SELECT username, options FROM quell_internal.users "
            + "WHERE username IN ('erin', 'frank', 'ops') ORDER BY 1"));
  }

  @Test void membersOfAdminAreExempt() throws Exception {
    update(root, "CREATE USER boss WITH CONNECTION LIMIT 1");
    update(root, "GRANT admin TO boss");
    f.connect("boss");
    f.connect("boss");
    assertEquals(List.of(2L), sessions("boss"));
  }

  @Test void internalSessionsCountOnlyBeyondOnePerSession() throws Exception {
    update(root, "CREATE USER gina WITH CONNECTION LIMIT 1");
    f.connect("gina");
    // The driver's cancel channel of that connection is internal and does not count ...
    f.connect("gina", "$ internal cancel");
    // ... but an application name is the client's to choose: not a way around the limit.
    failsWith("53300", () -> f.connect("gina", "$ internal cancel"));
    failsWith("53300", () -> f.connect("gina"));
  }

  @Test void aLimitMustBeAWholeNumberFromMinusOne() {
    for (String limit : new String[] {"-2", "1.5", "3000000000"}) {
      String msg = failsWith("22023", () -> update(root,
          "CREATE USER hank WITH CONNECTION LIMIT " + limit));
      assertTrue(msg.contains("CONNECTION LIMIT"), msg);
    }
    failsWith("42601", () -> update(root, "CREATE USER hank CONNECTION LIMIT 'x'"));
    failsWith("42601", () -> update(root,
        "CREATE USER hank CONNECTION LIMIT 1 CONNECTION LIMIT 2"));
    try {
      assertEquals(List.of(), column(root, "SELECT username FROM quell_internal.users "
          + "WHERE username = 'hank'"), "nothing was created");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private List<Object> sessions(String user) throws SQLException {
    return column(root, "SELECT COUNT(*) FROM (SHOW SESSIONS) WHERE user_name = '" + user + "'");
  }
}
