package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;
import io.quell.server.login.LoginThrottle;
import io.quell.testing.TestKeystore;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The web console's JSON API over real HTTP against a real server: login, cookies, CSRF and
 * BASIC; what each kind of user sees and may cancel, exactly as in SQL; a cancel with a
 * message reaching the victim's JDBC statement and the audit; and bad input refused with a
 * SQLSTATE, changing nothing.
 */
@Timeout(300)
class ConsoleApiTest {
  @TempDir static Path dir;
  static ServerFixture f;
  static int port;

  @BeforeAll static void start() throws Exception {
    f = new ServerFixture(dir);
    port = f.server.port();
    try (Connection root = f.root(); Statement s = root.createStatement()) {
      s.executeUpdate("CREATE USER alice WITH PASSWORD 'alice-pw'");
      s.executeUpdate("CREATE USER bob WITH PASSWORD 'bob-pw'");
      s.executeUpdate("CREATE USER redacted WITH PASSWORD 'redacted-pw' VIEWACTIVITYREDACTED");
      s.executeUpdate("CREATE USER canceller WITH PASSWORD 'canceller-pw' CANCELQUERY");
      s.executeUpdate("CREATE USER nologin WITH PASSWORD 'nologin-pw' NOLOGIN");
      s.executeUpdate("CREATE USER carol WITH PASSWORD 'carol-pw'");
      s.executeUpdate("CREATE USER dave WITH PASSWORD 'dave-pw'");
    }
  }

  @AfterEach void closeClients() {
    f.closeClients();
  }

  @AfterAll static void stop() {
    f.close();
  }

  private static ConsoleClient root() {
    return ConsoleClient.basic(port, "root", ServerFixture.ROOT_PASSWORD);
  }

  @Test void withoutCredentialsTheApiAnswers401() throws Exception {
    for (String path : List.of("api/sessions", "api/queries", "api/cancellations",
        "api/members", "api/me", "api/sessions/1530c309b1d8d5f00000000000000001")) {
      ConsoleClient.Reply reply = ConsoleClient.browser(port).get(path);
      assertEquals(401, reply.status(), path);
      assertEquals("28000", reply.sqlState(), path);
    }
    ConsoleClient.Reply cancel = ConsoleClient.browser(port).cancel("query", "x", null);
    assertEquals(401, cancel.status());
    ConsoleClient.Reply wrong = ConsoleClient.basic(port, "root", "wrong").get("api/sessions");
    assertEquals(401, wrong.status());
    assertEquals("28P01", wrong.sqlState());
    ConsoleClient.Reply nologin =
        ConsoleClient.basic(port, "nologin", "nologin-pw").get("api/sessions");
    assertEquals(403, nologin.status());
    assertEquals("28000", nologin.sqlState());
    // The page itself is public: it is where one logs in.
    assertEquals(200, ConsoleClient.browser(port).get("").status());
  }

  @Test void formLoginGivesAStrictHttpOnlyCookieAndLogoutEndsIt() throws Exception {
    ConsoleClient browser = ConsoleClient.browser(port);
    ConsoleClient.Reply bad = browser.login("alice", "wrong");
    assertEquals(401, bad.status());
    assertEquals("28P01", bad.sqlState());
    ConsoleClient.Reply login = browser.login("alice", "alice-pw");
    assertEquals(200, login.status(), login.json().toString());
    assertEquals("alice", login.json().path("user").asText());
    String cookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict")
        && cookie.contains("Path=/console"), cookie);
    assertFalse(cookie.contains("Secure"), "plain HTTP cannot keep a Secure cookie: " + cookie);
    assertEquals("alice", browser.get("api/me").json().path("user").asText());
    assertEquals(200, browser.get("api/sessions").status());
    assertEquals(200, browser.post("api/logout", "{}").status());
    assertEquals(401, browser.get("api/me").status());
    assertEquals(401, browser.get("api/sessions").status());
  }

  @Test void aLoginEndsWhenItsRoleMayNoLongerLogIn() throws Exception {
    ConsoleClient carol = ConsoleClient.browser(port);
    assertEquals(200, carol.login("carol", "carol-pw").status());
    assertEquals(200, carol.get("api/sessions").status());
    try (Connection root = f.root(); Statement s = root.createStatement()) {
      s.executeUpdate("ALTER USER carol NOLOGIN");
    }
    ConsoleClient.Reply after = carol.get("api/sessions");
    assertEquals(401, after.status(), after.json().toString());
    assertEquals("28000", after.sqlState());
  }

  @Test void aLoginEndsWhenItsPasswordChanges() throws Exception {
    ConsoleClient dave = ConsoleClient.browser(port);
    assertEquals(200, dave.login("dave", "dave-pw").status());
    assertEquals(200, dave.get("api/me").status());
    try (Connection root = f.root(); Statement s = root.createStatement()) {
      s.executeUpdate("ALTER USER dave WITH PASSWORD 'dave-new-pw'");
    }
    ConsoleClient.Reply after = dave.get("api/me");
    assertEquals(401, after.status(), after.json().toString());
    assertEquals("28P01", after.sqlState());
    assertEquals(200, dave.login("dave", "dave-new-pw").status());
  }

  @Test void aCancelledInternalSessionIsReplacedUnnoticed() throws Exception {
    ConsoleClient bob = ConsoleClient.basic(port, "bob", "bob-pw");
    assertEquals(200, bob.get("api/sessions").status());
    try (Connection root = f.root(); Statement s = root.createStatement()) {
      assertTrue(s.executeUpdate("CANCEL SESSIONS (SELECT session_id FROM (SHOW ALL SESSIONS) "
          + "AS a WHERE user_name = 'bob' AND application_name = '$ internal web console')") > 0);
    }
    ConsoleClient.Reply after = bob.get("api/sessions");
    assertEquals(200, after.status(), after.json().toString());
  }

  /** A login without requests for the idle timeout is over. */
  @Test void aLoginEndsAfterTheIdleTimeout(@TempDir Path other) throws Exception {
    try (ServerFixture g = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(other).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0).consoleIdleTimeout(Duration.ofSeconds(2)), null,
        Serialization.PROTOBUF)) {
      ConsoleClient browser = ConsoleClient.browser(g.server.port());
      assertEquals(200, browser.login("root", ServerFixture.ROOT_PASSWORD).status());
      for (int i = 0; i < 3; i++) {
        Thread.sleep(1000);
        assertEquals(200, browser.get("api/me").status(), "a request keeps the login alive");
      }
      Thread.sleep(4000);
      assertEquals(401, browser.get("api/me").status());
    }
  }

  @Test void consoleSessionsAreInternalSqlSessions() throws Exception {
    ConsoleClient alice = ConsoleClient.browser(port);
    alice.login("alice", "alice-pw");
    assertEquals(200, alice.get("api/sessions").status());
    try (Connection root = f.root()) {
      List<String> apps = strings(root, "SELECT application_name FROM (SHOW SESSIONS) AS s");
      assertFalse(apps.stream().anyMatch(a -> a.contains("web console")), apps.toString());
      List<String> all = strings(root, "SELECT user_name FROM (SHOW ALL SESSIONS) AS s "
          + "WHERE application_name = '$ internal web console'");
      assertTrue(all.contains("alice"), all.toString());
    }
    // ...and the console does not list its own unless asked for internal sessions.
    assertFalse(alice.get("api/sessions").column("application_name").stream()
        .anyMatch(a -> a.contains("web console")));
    assertTrue(alice.get("api/sessions?internal=true").column("application_name").stream()
        .anyMatch(a -> a.contains("web console")));
  }

  @Test void aPostWithoutTheCsrfTokenIsRefusedAndCancelsNothing() throws Exception {
    SleepingSession victim = new SleepingSession(f, "alice", "alice-pw", "victim");
    ConsoleClient browser = ConsoleClient.browser(port);
    browser.login("root", ServerFixture.ROOT_PASSWORD);
    browser.forgetCsrfToken();
    ConsoleClient.Reply forged = browser.cancel("query", victim.queryId, "forged");
    assertEquals(403, forged.status(), forged.json().toString());
    assertEquals("42501", forged.sqlState());
    assertTrue(forged.json().path("error").asText().contains("CSRF"));
    // A cross-site form can only send form or text bodies: refused before anything is read.
    ConsoleClient.Reply form = browser.post("api/cancel",
        "kind=query&id=" + victim.queryId, "application/x-www-form-urlencoded");
    assertEquals(415, form.status());
    ConsoleClient.Reply text = root().post("api/cancel",
        "{\"kind\":\"query\",\"id\":\"" + victim.queryId + "\"}", "text/plain");
    assertEquals(415, text.status());
    ConsoleClient.Reply logout = browser.post("api/logout", "{}");
    assertEquals(403, logout.status(), "logout without the token");
    assertEquals(200, browser.get("api/me").status(), "still logged in");
    victim.assertRunning("forged posts");
    assertEquals(List.of(), auditOf(victim.queryId));
  }

  @Test void aPlainUserSeesOnlyItsOwnSessionsAndQueries() throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "alice-app");
    SleepingSession bob = new SleepingSession(f, "bob", "bob-pw", "bob-app");
    ConsoleClient aliceConsole = ConsoleClient.browser(port);
    aliceConsole.login("alice", "alice-pw");
    ConsoleClient.Reply sessions = aliceConsole.get("api/sessions");
    assertEquals(List.of("alice"), distinct(sessions.column("user_name")));
    assertTrue(sessions.column("session_id").contains(alice.sessionId));
    sessions.json().path("rows").forEach(r -> assertTrue(r.path("can_cancel").asBoolean()));
    ConsoleClient.Reply queries = aliceConsole.get("api/queries");
    assertEquals(List.of(alice.queryId), queries.column("query_id"));
    // Another user's session is not found, as in SQL, rather than shown.
    assertEquals(404, aliceConsole.get("api/sessions/" + bob.sessionId).status());
    assertEquals(403, aliceConsole.get("api/cancellations").status());
    assertEquals("42501", aliceConsole.get("api/members").sqlState());

    ConsoleClient.Reply all = root().get("api/sessions?application=-app&sort=user_name");
    assertEquals(List.of("alice", "bob"), all.column("user_name"));
    all.json().path("rows").forEach(r -> assertTrue(r.path("can_cancel").asBoolean()));
    // bob may cancel nobody else: no offer on alice's row
    ConsoleClient.Reply canceller = ConsoleClient.basic(port, "canceller", "canceller-pw")
        .get("api/sessions?application=-app");
    canceller.json().path("rows").forEach(r -> assertTrue(r.path("can_cancel").asBoolean()));
    alice.assertRunning("listings");
    bob.assertRunning("listings");
  }

  @Test void aViewActivityRedactedUserSeesOtherUsersTextRedacted() throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "");
    ConsoleClient redacted = ConsoleClient.basic(port, "redacted", "redacted-pw");
    JsonNode row = redacted.get("api/sessions?user=alice").rows().get(0);
    String text = row.path("active_queries").asText();
    assertFalse(text.contains("secret-constant"), text);
    assertTrue(text.contains("pg_sleep(_)"), text);
    ConsoleClient.Reply sessions = redacted.get("api/sessions?user=alice");
    assertFalse(sessions.json().path("rows").get(0).path("can_cancel").asBoolean(),
        "VIEWACTIVITYREDACTED may not cancel");
    String query = redacted.get("api/queries?user=alice").rows().get(0).path("query").asText();
    assertFalse(query.contains("secret-constant"), query);
    JsonNode detail = redacted.get("api/sessions/" + alice.sessionId).json();
    assertFalse(detail.toString().contains("secret-constant"), detail.toString());
    assertTrue(root().get("api/sessions?user=alice").rows().get(0).path("active_queries")
        .asText().contains("secret-constant"), "an admin sees the text");
  }

  @Test void aCancelWithoutThePrivilegeIsRefusedWithTheSqlErrorAndCancelsNothing()
      throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "");
    ConsoleClient bob = ConsoleClient.browser(port);
    bob.login("bob", "bob-pw");
    for (String[] target : new String[][] {{"query", alice.queryId},
        {"session", alice.sessionId}}) {
      ConsoleClient.Reply refused = bob.cancel(target[0], target[1], "not yours");
      assertEquals(403, refused.status(), refused.json().toString());
      assertEquals("42501", refused.sqlState());
      assertEquals("user bob does not have CANCELQUERY privilege",
          refused.json().path("error").asText());
    }
    ConsoleClient.Reply redacted = ConsoleClient.basic(port, "redacted", "redacted-pw")
        .cancel("query", alice.queryId, null);
    assertEquals("42501", redacted.sqlState());
    alice.assertRunning("refused cancels");
    assertEquals(List.of(), auditOf(alice.queryId));
  }

  @Test void aCancelWithAMessageReachesTheVictimAndTheAudit() throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "");
    ConsoleClient browser = ConsoleClient.browser(port);
    browser.login("root", ServerFixture.ROOT_PASSWORD);
    ConsoleClient.Reply cancelled = browser.cancel("query", alice.queryId, "disk is full, "
        + "back at 10:00 \"ok\"");
    assertEquals(200, cancelled.status(), cancelled.json().toString());
    assertEquals(1, cancelled.json().path("cancelled").asInt());
    SQLException e = alice.failure();
    assertEquals("57014", e.getSQLState());
    assertTrue(e.getMessage().contains("query execution canceled, message from the canceler: "
        + "\"disk is full, back at 10:00 \"ok\"\""), e.getMessage());
    ConsoleClient.Reply audit = browser.get("api/cancellations?user=alice");
    JsonNode entry = audit.rows().stream()
        .filter(r -> r.path("target_id").asText().equals(alice.queryId)).findFirst()
        .orElseThrow(() -> new AssertionError(audit.json().toString()));
    assertEquals("root", entry.path("canceled_by").asText());
    assertEquals("alice", entry.path("target_user").asText());
    assertEquals("disk is full, back at 10:00 \"ok\"", entry.path("message").asText());
    // The query has left the live list; a second cancel finds nothing, as in SQL.
    assertFalse(browser.get("api/queries").column("query_id").contains(alice.queryId));
    ConsoleClient.Reply again = browser.cancel("query", alice.queryId, null);
    assertEquals(404, again.status());
    assertEquals("42704", again.sqlState());
  }

  @Test void cancelSessionEndsTheSessionAndOwnCancelNeedsNoPrivilege() throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "");
    ConsoleClient self = ConsoleClient.basic(port, "alice", "alice-pw");
    ConsoleClient.Reply reply = self.cancel("session", alice.sessionId, null);
    assertEquals(200, reply.status(), reply.json().toString());
    assertEquals("57014", alice.failure().getSQLState());
    assertFalse(self.get("api/sessions").column("session_id").contains(alice.sessionId));
    JsonNode entry = root().get("api/cancellations?user=alice").rows().stream()
        .filter(r -> r.path("target_id").asText().equals(alice.sessionId)).findFirst()
        .orElseThrow();
    assertEquals("alice", entry.path("canceled_by").asText());
    assertTrue(entry.path("message").isNull());
  }

  @Test void listingsFilterSortAndPageInTheServer() throws Exception {
    List<SleepingSession> victims = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      victims.add(new SleepingSession(f, "alice", "alice-pw", "pager"));
    }
    ConsoleClient root = root();
    ConsoleClient.Reply first = root.get("api/sessions?application=pager&sort=session_id"
        + "&order=desc&limit=2");
    assertEquals(3, first.json().path("total").asInt());
    List<String> ids = victims.stream().map(v -> v.sessionId).sorted().toList();
    assertEquals(List.of(ids.get(2), ids.get(1)), first.column("session_id"));
    ConsoleClient.Reply second = root.get("api/sessions?application=pager&sort=session_id"
        + "&order=desc&limit=2&offset=2");
    assertEquals(List.of(ids.get(0)), second.column("session_id"));
    assertEquals(3, second.json().path("total").asInt());
    assertEquals(List.of("ACTIVE"), distinct(root.get("api/sessions?application=pager"
        + "&status=active").column("status")));
    assertEquals(0, root.get("api/sessions?application=pager&status=IDLE").json()
        .path("total").asInt());
    // CLOSED asks SHOW ALL SESSIONS, which lists closed sessions where the history is kept.
    assertEquals(200, root.get("api/sessions?status=CLOSED").status());
    // Columns are the SQL result's, in its order.
    JsonNode columns = first.json().path("columns");
    assertEquals("node_id", columns.get(0).path("name").asText());
    assertEquals("session_id", columns.get(1).path("name").asText());
    assertNotNull(first.json().path("now").asText(null));
    // Timestamps are instants, close to now.
    java.time.Instant start = java.time.Instant.parse(first.rows().get(0)
        .path("session_start").asText());
    assertTrue(Math.abs(Duration.between(start, java.time.Instant.now()).toMinutes()) < 5,
        start.toString());
    assertEquals(List.of(victims.get(0).queryId), root.get("api/queries?session="
        + victims.get(0).sessionId).column("query_id"));
    JsonNode detail = root.get("api/sessions/" + victims.get(1).sessionId).json();
    assertEquals(victims.get(1).sessionId, detail.path("session").path("values")
        .path("session_id").asText());
    assertEquals(victims.get(1).queryId, detail.path("queries").path("rows").get(0)
        .path("values").path("query_id").asText());
  }

  @Test void badInputIsAClearErrorThatChangesNothing() throws Exception {
    SleepingSession alice = new SleepingSession(f, "alice", "alice-pw", "");
    ConsoleClient root = root();
    String[][] gets = {
        {"api/sessions?usr=alice", "unknown parameter 'usr'"},
        {"api/sessions?limit=0", "parameter 'limit' must be an integer from 1 to 1000"},
        {"api/sessions?limit=ten", "parameter 'limit'"},
        {"api/sessions?offset=-1", "parameter 'offset'"},
        {"api/sessions?status=RUNNING", "parameter 'status' must be one of ACTIVE, CLOSED, IDLE"},
        {"api/sessions?sort=nope", "there is no column 'nope' to sort by"},
        {"api/sessions?sort=user_name;DROP", "parameter 'sort' must be a column name"},
        {"api/sessions?order=sideways", "parameter 'order'"},
        {"api/sessions?closed=maybe", "parameter 'closed' must be true or false"},
        {"api/sessions?user=a&user=b", "parameter 'user' is given 2 times"},
        {"api/queries?session=zz", "could not parse session ID 'zz'"},
        {"api/sessions/not-an-id", "could not parse session ID 'not-an-id'"},
    };
    for (String[] get : gets) {
      ConsoleClient.Reply reply = root.get(get[0]);
      assertEquals(400, reply.status(), get[0] + ": " + reply.json());
      assertEquals("22023", reply.sqlState(), get[0]);
      assertTrue(reply.json().path("error").asText().contains(get[1]),
          get[0] + ": " + reply.json());
    }
    String[][] posts = {
        {"{\"kind\":\"query\"", "the body is not JSON"},
        {"[1]", "the body must be a JSON object"},
        {"{\"kind\":\"statement\",\"id\":\"" + alice.queryId + "\"}", "kind must be"},
        {"{\"kind\":\"query\"}", "id must be a query ID"},
        {"{\"kind\":\"query\",\"id\":7}", "field 'id' must be a string"},
        {"{\"kind\":\"query\",\"id\":\"" + alice.queryId + "\",\"force\":true}",
            "unknown field 'force'"},
        {"{\"kind\":\"query\",\"id\":\"123\"}", "could not parse query ID '123'"},
        {"{\"kind\":\"query\",\"id\":\"" + alice.queryId + "\",\"message\":\""
            + "x".repeat(1001) + "\"}", "1000"},
    };
    for (String[] post : posts) {
      ConsoleClient.Reply reply = root.post("api/cancel", post[0]);
      assertEquals(400, reply.status(), post[0] + ": " + reply.json());
      assertEquals("22023", reply.sqlState(), post[0]);
      assertTrue(reply.json().path("error").asText().contains(post[1]),
          post[0] + ": " + reply.json());
    }
    assertEquals(404, root.get("api/nothing").status());
    assertEquals(405, root.post("api/sessions", "{}").status());
    assertEquals(405, root.get("api/cancel").status());
    alice.assertRunning("bad requests");
    assertEquals(List.of(), auditOf(alice.queryId));
  }

  /** Console logins and JDBC logins share one throttle: guessing is slow through either. */
  @Test void failedConsoleLoginsAreThrottledWithJdbcLogins(@TempDir Path other) throws Exception {
    LoginThrottle throttle = new LoginThrottle(2, Duration.ofSeconds(4), Duration.ofSeconds(4));
    try (ServerFixture g = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(other).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0).loginThrottle(throttle), null, Serialization.PROTOBUF)) {
      for (int i = 0; i < 2; i++) {
        try {
          g.connect("root", "guess-" + i).close();
        } catch (SQLException expected) {
          assertEquals("28P01", expected.getSQLState());
        }
      }
      long startNanos = System.nanoTime();
      ConsoleClient.Reply guess = ConsoleClient.browser(g.server.port()).login("root", "guess");
      long waitedMillis = (System.nanoTime() - startNanos) / 1_000_000;
      assertEquals(401, guess.status());
      assertEquals("28P01", guess.sqlState());
      assertTrue(waitedMillis >= 2000, "a throttled console guess waited " + waitedMillis
          + " ms");
      Thread.sleep(4500);
      ConsoleClient.Reply right = ConsoleClient.browser(g.server.port())
          .login("root", ServerFixture.ROOT_PASSWORD);
      assertEquals(200, right.status(), "the right password gets in once the window passed");
    }
  }

  /** With TLS the console is HTTPS only: its cookie is Secure, plain HTTP gets 426. */
  @Test void overTlsTheCookieIsSecureAndPlainHttpIsRefused(@TempDir Path other)
      throws Exception {
    String password = "keystore-pw";
    Path keystore = TestKeystore.create(other.resolve("quell.p12"), password);
    try (ServerFixture g = new ServerFixture(other.resolve("data"),
        new QuellServer.Tls(keystore.toFile(), password))) {
      ConsoleClient.Reply login = ConsoleClient.https(g.server.port(), keystore, password)
          .login("root", ServerFixture.ROOT_PASSWORD);
      assertEquals(200, login.status(), login.json().toString());
      String cookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly")
          && cookie.contains("SameSite=Strict"), cookie);
      assertEquals(426, ConsoleClient.browser(g.server.port()).get("").status());
      assertEquals(426, ConsoleClient.basic(g.server.port(), "root",
          ServerFixture.ROOT_PASSWORD).get("api/sessions").status());
    }
  }

  private static List<String> auditOf(String targetId) throws SQLException {
    try (Connection root = f.root()) {
      return strings(root, "SELECT canceled_by FROM quell_internal.cancellations "
          + "WHERE target_id = '" + targetId + "'");
    }
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
