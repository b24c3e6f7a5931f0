package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator reads over HTTP about statements that a remote client (jdbc:quell://) ran:
 * a result fetched in many frames counts once with all its rows, and a query cancelled by
 * another session counts as cancelled, in {@code quell_internal.statement_statistics} and in
 * {@code GET /metrics} alike.
 */
@Timeout(120)
class StatementObservabilityTest {
  @TempDir Path dir;
  ServerFixture f;

  @BeforeEach void start() throws Exception {
    f = new ServerFixture(dir);
  }

  @AfterEach void stop() {
    f.close();
  }

  private double metric(String series) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + f.server.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static long[] stats(Connection c, String fingerprint) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT calls, \"rows\", errors, canceled FROM quell_internal.statement_statistics "
            + "WHERE fingerprint = '" + fingerprint + "'")) {
      assertTrue(rs.next(), "no statistics for " + fingerprint);
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
    }
  }

  @Test void aResultInManyFramesCountsOnceWithEveryRow() throws Exception {
    double before = metric("quell_statements_total{outcome=\"ok\"}");
    try (Connection c = f.root(); Statement s = c.createStatement()) {
      s.setFetchSize(100);
      int rows = 0;
      try (ResultSet rs = s.executeQuery(
          "SELECT l_orderkey FROM lineitem WHERE l_quantity > 0 LIMIT 2500")) {
        while (rs.next()) {
          rows++;
        }
      }
      assertEquals(2500, rows);
      long[] stats = stats(c, "select l_orderkey from lineitem where l_quantity > ? limit ?");
      assertEquals(1, stats[0], "calls");
      assertEquals(2500, stats[1], "rows");
    }
    assertTrue(metric("quell_statements_total{outcome=\"ok\"}") - before >= 1);
  }

  @Test void aQueryCancelledByAnotherSessionCountsAsCancelled() throws Exception {
    double before = metric("quell_cancellations_total{cause=\"statement\"}");
    SleepingSession victim = new SleepingSession(f, "root", ServerFixture.ROOT_PASSWORD, "bi");
    try (Connection c = f.root(); Statement s = c.createStatement()) {
      assertEquals(1, s.executeUpdate("CANCEL QUERY '" + victim.queryId + "'"));
      assertEquals("57014", victim.failure().getSQLState());
      long[] stats = stats(c, "select pg_sleep(?) as s, ? as k");
      assertEquals(1, stats[0], "calls");
      assertEquals(1, stats[3], "canceled");
      assertEquals(0, stats[2], "errors");
    }
    assertEquals(1, metric("quell_cancellations_total{cause=\"statement\"}") - before);
  }
}
