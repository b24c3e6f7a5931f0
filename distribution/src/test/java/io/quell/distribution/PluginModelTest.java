package io.quell.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quell.testing.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample model, conf/model.json, pointed at a real PostgreSQL whose JDBC driver is a jar
 * dropped into plugins/: the server loads it from there, and a query joins PostgreSQL's table
 * with the sample data.
 */
@Timeout(120)
class PluginModelTest {
  @TempDir Path dir;

  @Test void aModelOverPostgresqlUsesTheDriverInPlugins() throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      postgres.createSlowView();
      Installation installation = Installation.unpack(dir);
      Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      Files.copy(driver, installation.home.resolve("plugins").resolve(driver.getFileName()));
      Path model = dir.resolve("model.json");
      Files.writeString(model, Files.readString(installation.home.resolve("conf/model.json"))
          .replace("localhost:5432", "127.0.0.1:" + postgres.port())
          .replace("\"jdbcUser\": \"postgres\"", "\"jdbcUser\": \"" + PostgresServer.USER + "\""));
      try (ServerProcess server = installation.startServer(dir, "--model", model.toString())) {
        ShellRun run = installation.runSql("-u", server.url(), "-p", Installation.ROOT_PASSWORD,
            "--outputformat=csv", "-e", "SELECT SUM(n) AS total, COUNT(DISTINCT r_name) AS regions"
                + " FROM pg.numbers CROSS JOIN tpch.region");
        assertEquals(0, run.exitCode(), run + server.console());
        assertEquals("'total','regions'\n'30','5'\n", run.out());
        DistributionTest.assertNoLoggingWarnings(run.err() + server.console());
      }
    }
  }
}
