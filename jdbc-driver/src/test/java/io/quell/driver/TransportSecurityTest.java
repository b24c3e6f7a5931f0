package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.catalog.PasswordHasher;
import io.quell.server.QuellServer;
import io.quell.testing.TestKeystore;

import com.google.common.hash.Hashing;

import org.apache.calcite.avatica.AvaticaConnection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Transport security of the real server (for another user's Avatica handles see
 * {@link RequestOwnershipTest}): connection ids, passwords and password hashes never appear in
 * results, errors or the server's log; wrong passwords each pay the KDF; TLS works with a keystore made
 * at test time and refuses plain HTTP.
 */
@Timeout(120)
class TransportSecurityTest {
  /** The PBKDF2 hash format of {@link PasswordHasher}. */
  static final Pattern HASH = Pattern.compile("pbkdf2-sha256\\$\\d+\\$");

  private static ServerLog serverLog;
  /** What must never show up: passwords and every Avatica connection id the clients used. */
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  @TempDir Path dir;
  ServerFixture f;
  Connection root;

  /** Captures the server's log for the whole class. */
  @BeforeAll static void captureLog() {
    serverLog = ServerLog.capture();
  }

  @AfterAll static void logHoldsNoSecrets() {
    serverLog.close();
    String log = serverLog.text();
    assertTrue(log.contains("Quell") || log.contains("jetty") || log.contains("Server"),
        "the capture saw the server's log");
    assertFalse(SECRETS.isEmpty());
    for (String secret : SECRETS) {
      assertFalse(log.contains(secret), "the log contains a secret: " + secret);
    }
    assertFalse(HASH.matcher(log).find(), "the log contains a password hash");
    System.out.printf("transport security: %d secrets checked against %d bytes of server log%n",
        SECRETS.size(), log.length());
  }

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(dir);
    root = connect("root", ServerFixture.ROOT_PASSWORD);
    update(root, "CREATE USER maxroach WITH PASSWORD 'roach-Secret-1'");
    update(root, "CREATE USER ops WITH PASSWORD 'ops-Secret-2' VIEWACTIVITY CANCELQUERY");
    SECRETS.addAll(List.of(ServerFixture.ROOT_PASSWORD, "roach-Secret-1", "ops-Secret-2"));
  }

  @AfterEach void stop() {
    f.close();
  }

  private Connection connect(String user, String password) throws SQLException {
    Connection c = f.connect(user, password);
    SECRETS.add(c.unwrap(AvaticaConnection.class).id);
    return c;
  }

  @Test void resultsNeverExposeIdsPasswordsOrHashes() throws Exception {
    Connection maxroach = connect("maxroach", "roach-Secret-1");
    String maxroachSession = strings(maxroach, "SHOW session_id").get(0);
    // each statement with a password stays its session's last query, which others may read
    update(connect("root", ServerFixture.ROOT_PASSWORD),
        "CREATE USER IF NOT EXISTS eve WITH PASSWORD 'eve-Secret-4'");
    update(connect("root", ServerFixture.ROOT_PASSWORD),
        "ALTER USER maxroach WITH PASSWORD 'changed-Secret-3'");
    SECRETS.addAll(List.of("changed-Secret-3", "eve-Secret-4"));
    update(root, "CANCEL SESSION '" + maxroachSession + "'");
    List<String> sources = new ArrayList<>(List.of("SHOW USERS", "SHOW GRANTS", "SHOW ALL",
        "SHOW SESSIONS", "SHOW ALL QUERIES"));
    DatabaseMetaData metaData = root.getMetaData();
    try (ResultSet tables = metaData.getTables(null, "quell_internal", "%", null)) {
      while (tables.next()) {
        sources.add("SELECT * FROM quell_internal." + tables.getString("TABLE_NAME"));
      }
    }
    assertTrue(sources.size() >= 13, sources.toString());
    int cells = 0;
    for (String sql : sources) {
      try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            String value = String.valueOf(rs.getObject(i));
            cells++;
            assertFalse(HASH.matcher(value).find(), sql + " shows a hash: " + value);
            for (String secret : SECRETS) {
              assertFalse(value.contains(secret), sql + " shows a secret: " + value);
            }
          }
        }
      }
    }
    assertTrue(cells > 100, "cells read: " + cells);
    // the passwords themselves did change
    assertEquals(List.of("1"), strings(connect("maxroach", "changed-Secret-3"), "SELECT 1"));
  }

  @Test void aChangedPasswordRefusesTheOldOneAtOnce() throws Exception {
    Connection before = connect("maxroach", "roach-Secret-1");
    // a second request: the old password is now in the server's credential cache
    assertEquals(List.of("1"), strings(before, "SELECT 1"));
    update(root, "ALTER USER maxroach WITH PASSWORD 'rotated-Secret-8'");
    SECRETS.add("rotated-Secret-8");
    SQLException newLogin =
        assertThrows(SQLException.class, () -> f.connect("maxroach", "roach-Secret-1"));
    assertEquals("28P01", newLogin.getSQLState());
    // HTTP BASIC sends the password with every request, so the open connection stops too
    SQLException open = assertThrows(SQLException.class, () -> strings(before, "SELECT 1"));
    assertEquals("28P01", open.getSQLState());
    assertEquals(List.of("1"), strings(connect("maxroach", "rotated-Secret-8"), "SELECT 1"));
  }

  @Test void everyWrongPasswordPaysTheKdf() throws Exception {
    String stored = PasswordHasher.hash("right");
    int iterations = Integer.parseInt(stored.split("\\$")[1]);
    assertTrue(iterations >= 600_000, "OWASP's PBKDF2-SHA256 floor: " + iterations);
    long verifyNanos = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      assertFalse(PasswordHasher.verify("guess" + i, stored));
      verifyNanos = Math.min(verifyNanos, System.nanoTime() - t0);
    }
    // one HMAC is what a guess would cost without the KDF; the fastest of several batches, so
    // that a cold JIT or a busy machine does not inflate it
    int hmacs = 4_000;
    double hmacNanos = Double.MAX_VALUE;
    for (int batch = 0; batch < 5; batch++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < hmacs; i++) {
        Hashing.hmacSha256(new byte[32]).hashString("guess" + i, StandardCharsets.UTF_8);
      }
      hmacNanos = Math.min(hmacNanos, (System.nanoTime() - t0) / (double) hmacs);
    }
    assertTrue(verifyNanos > 10_000 * hmacNanos,
        "a guess costs " + verifyNanos + " ns, a plain HMAC " + hmacNanos + " ns");

    // over HTTP, after a successful login (the credential cache is warm) every wrong guess
    // is rejected with 28P01 and still pays the KDF: failures are never cached
    connect("maxroach", "roach-Secret-1");
    long slowest = 0;
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> f.connect("maxroach", "wrong"));
      long took = System.nanoTime() - start;
      assertEquals("28P01", e.getSQLState());
      fastest = Math.min(fastest, took);
      slowest = Math.max(slowest, took);
    }
    assertTrue(fastest > verifyNanos / 4,
        "a rejected login took " + fastest + " ns, the KDF " + verifyNanos + " ns");
    System.out.printf("KDF: %d iterations, %.1f ms per guess (min of 3), plain HMAC %.2f us, "
        + "rejected HTTP logins %.1f-%.1f ms%n", iterations, verifyNanos / 1e6, hmacNanos / 1e3,
        fastest / 1e6, slowest / 1e6);
  }

  @Test void tlsWithATestKeystore() throws Exception {
    Path keystore = dir.resolve("quell-test.p12");
    String password = "keystore-Secret-5";
    SECRETS.add(password);
    TestKeystore.create(keystore, password);
    f.close();
    f = new ServerFixture(dir.resolve("tls"), new QuellServer.Tls(keystore.toFile(), password));
    Connection secure = connect("root", ServerFixture.ROOT_PASSWORD);
    assertTrue(f.url().contains("tls=true"));
    assertEquals(List.of("1"), strings(secure, "SELECT 1"));
    assertEquals(1, strings(secure, "SELECT session_id FROM (SHOW SESSIONS) AS s").size());
    // Every session so far, open or closed (the fixture's warm-up one, kept as history).
    String everySession = "SELECT session_id FROM (SHOW ALL SESSIONS) AS s ORDER BY session_id";
    List<String> sessions = strings(secure, everySession);

    // Plain HTTP to the TLS port gets no session: the driver says TLS is required, at once
    // (Avatica's client alone retried forever), and the server answers before any credential.
    String plainUrl = "jdbc:quell://127.0.0.1:" + f.server.port();
    Properties plainProps = new Properties();
    plainProps.setProperty("user", "root");
    plainProps.setProperty("password", ServerFixture.ROOT_PASSWORD);
    SQLException plainLogin = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> assertThrows(SQLException.class,
            () -> DriverManager.getConnection(plainUrl, plainProps)));
    assertEquals("08004", plainLogin.getSQLState());
    assertTrue(plainLogin.getMessage().contains("tls=true"), plainLogin.getMessage());
    java.net.HttpURLConnection plain = (java.net.HttpURLConnection)
        new java.net.URL("http://127.0.0.1:" + f.server.port() + "/").openConnection();
    assertEquals(426, plain.getResponseCode());
    // TLS without trusting the key gets nothing either.
    java.net.URLConnection untrusted =
        new java.net.URL("https://127.0.0.1:" + f.server.port() + "/").openConnection();
    assertThrows(javax.net.ssl.SSLException.class, untrusted::connect);
    assertEquals(List.of("1"), strings(secure, "SELECT 1"));
    assertEquals(sessions, strings(secure, everySession), "not even one that closed");
  }
}
