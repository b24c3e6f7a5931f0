package io.quell.engine;

import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.metrics.MonitoringConfig;
import io.quell.testing.LogCapture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

/**
 * The slow-query log: one JSON line for each statement over the threshold, none for those
 * under it, with its outcome, and its text redacted if asked.
 */
@Timeout(120)
class SlowQueryLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static JsonNode line(LogCapture log, String text) throws Exception {
    String line = log.lines().stream().filter(l -> l.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("not logged: " + text));
    return JSON.readTree(line.substring(line.indexOf('{')));
  }

  @Test void statementsOverTheThresholdAreLoggedOnce() throws Exception {
    try (LogCapture log = new LogCapture();
         EngineFixture f = new EngineFixture(EngineConfig.builder().dataDir(dir)
             .scaleFactor(0.01).monitoring(new MonitoringConfig(true, Duration.ofMillis(200),
                 false)))) {
      Connection c = f.connect("root", "reports");
      rows(c, "SELECT pg_sleep(0.3) /*team='ops'*/");
      rows(c, "SELECT 'quick' AS q");
      update(c, "SET statement_timeout = '250ms'");
      failsWith("57014", () -> rows(c, "SELECT pg_sleep(2), 'secret' AS s"));
      JsonNode slow = line(log, "pg_sleep(0.3)");
      assertTrue(slow.get("duration_ms").asDouble() >= 300, slow.toString());
      assertEquals("root", slow.get("user").asText());
      assertEquals("reports", slow.get("application").asText());
      assertEquals("ok", slow.get("outcome").asText());
      assertEquals(1, slow.get("rows").asLong());
      assertEquals("team=ops", slow.get("tags").asText());
      assertEquals("select pg_sleep(?)", slow.get("fingerprint").asText());
      assertEquals(32, slow.get("session_id").asText().length());
      assertEquals(32, slow.get("query_id").asText().length());
      assertTrue(slow.has("time") && slow.has("client_address"), slow.toString());
      assertEquals("canceled", line(log, "pg_sleep(2)").get("outcome").asText());
      assertFalse(log.contains("'quick'"), "under the threshold");
    }
  }

  @Test void textIsRedactedWhenAsked() throws Exception {
    try (LogCapture log = new LogCapture();
         EngineFixture f = new EngineFixture(EngineConfig.builder().dataDir(dir)
             .scaleFactor(0.01).monitoring(new MonitoringConfig(true, Duration.ofMillis(100),
                 true)))) {
      rows(f.connect("root"), "SELECT pg_sleep(0.2), 'secret' AS s");
      assertEquals("SELECT pg_sleep(_), _ AS s", line(log, "pg_sleep(_)").get("query").asText());
      assertFalse(log.contains("'secret'"));
    }
  }
}
