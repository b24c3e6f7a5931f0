package io.quell.server;

import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /metrics} on the server's port: Prometheus' text format that promtool accepts,
 * the JVM's metrics, and the node's counts moving as statements succeed, fail and are
 * cancelled; open by default, behind a login with {@code --metrics-auth}.
 */
@Timeout(120)
class MetricsEndpointTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir Path dir;
  private QuellServer server;

  private QuellServer start(String... more) throws Exception {
    String[] base = {"--port", "0", "--scale", "0.01", "--data-dir", dir.toString(),
        "--root-password", "root-secret"};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs(args);
    server = main.start();
    return server;
  }

  @AfterEach void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> get(String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"));
    if (authorization != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(authorization.getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = get(null);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** The value of the sample {@code series} (name and labels as written), or 0 if absent. */
  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private Connection connect() throws Exception {
    return server.node().connect("root", new Properties());
  }

  @Test void countsMoveAsStatementsSucceedFailAndAreCancelled() throws Exception {
    start();
    String before = scrape();
    try (Connection c = connect()) {
      rows(c, "SELECT n_name FROM nation WHERE n_nationkey = 1");
      failsWith("42000", () -> rows(c, "SELECT * FROM no_such_table"));
      update(c, "SET statement_timeout = '100ms'");
      failsWith("57014", () -> rows(c, "SELECT pg_sleep(5)"));
    }
    String after = scrape();
    assertTrue(value(after, "quell_statements_total{outcome=\"ok\"}")
        - value(before, "quell_statements_total{outcome=\"ok\"}") >= 2, after);
    assertEquals(1, value(after, "quell_statements_total{outcome=\"error\"}")
        - value(before, "quell_statements_total{outcome=\"error\"}"), after);
    assertEquals(1, value(after, "quell_statements_total{outcome=\"canceled\"}")
        - value(before, "quell_statements_total{outcome=\"canceled\"}"), after);
    assertEquals(1, value(after, "quell_cancellations_total{cause=\"timeout\"}")
        - value(before, "quell_cancellations_total{cause=\"timeout\"}"), after);
    assertTrue(value(after, "quell_statement_duration_seconds_count")
        - value(before, "quell_statement_duration_seconds_count") >= 4, after);
    // the cancelled pg_sleep took at least 100 ms: it is in no bucket below that
    assertTrue(value(after, "quell_statement_duration_seconds_bucket{le=\"60.0\"}")
        - value(after, "quell_statement_duration_seconds_bucket{le=\"0.05\"}") >= 1, after);
    assertTrue(value(after, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") > 0
        || after.contains("jvm_memory_used_bytes{area=\"heap\""), after);
    assertTrue(value(after, "jvm_threads_live_threads") > 0, after);
    assertEquals(1, value(after, "quell_cluster_members{state=\"up\"}"), after);
    assertTrue(value(after, "quell_sql_memory_limit_bytes") > 0, after);
    assertTrue(after.contains("quell_plan_cache_misses_total "), after);
    assertTrue(after.contains("quell_queries_running "), after);
    assertTrue(after.contains("quell_sessions{state=\"idle\"}"), after);
    assertTrue(after.contains("quell_catalog_errors_total "), after);
    assertTrue(after.contains("quell_logins_failed_total "), after);
    assertTrue(after.contains("quell_queries_stopped_memory_total{by=\"limit\"}"), after);
    assertTrue(!after.contains("SELECT") && !after.contains("root"),
        "no statement text or user in the metrics");
  }

  @Test void promtoolAcceptsTheExposition() throws Exception {
    requirePromtool();
    start();
    try (Connection c = connect()) {
      rows(c, "SELECT 1");
    }
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, scrape());
    Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    String output = new String(promtool.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
    assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, promtool.exitValue(), output);
  }

  /** Skipped without promtool, except on CI, where .ci/run installs it. */
  private static void requirePromtool() {
    if (Files.isExecutable(PROMTOOL)) {
      return;
    }
    String message = PROMTOOL + " is not installed; install Debian's prometheus package";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty()) {
      throw new IllegalStateException(message + ": CI must check the metrics with it");
    }
    Assumptions.abort(message);
  }

  @Test void onlyGetIsAnswered() throws Exception {
    start();
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    assertTrue(get(null).headers().firstValue("Content-Type").orElse("")
        .startsWith("text/plain; version=0.0.4"));
  }

  @Test void metricsAuthNeedsALoginAndCountsFailedOnes() throws Exception {
    start("--metrics-auth");
    assertEquals(401, get(null).statusCode());
    assertEquals(401, get("root:wrong").statusCode());
    HttpResponse<String> ok = get("root:root-secret");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(1, value(ok.body(), "quell_logins_failed_total"), ok.body());
  }
}
