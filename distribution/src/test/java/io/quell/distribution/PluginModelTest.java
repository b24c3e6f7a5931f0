package io.quell.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quell.testing.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Models over other databases: the sample model, conf/model.json, pointed at a real PostgreSQL,
 * whose driver ships in lib/; and a database whose driver (HSQLDB's) is a jar dropped into
 * plugins/, which the server loads from there. Each query joins the database's table with the
 * sample data.
 */
@Timeout(120)
class PluginModelTest {
  @TempDir Path dir;

  @Test void theSampleModelReadsPostgresqlWithTheDriverInLib() throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      postgres.createSlowView();
      Installation installation = Installation.unpack(dir);
      Path model = dir.resolve("model.json");
      Files.writeString(model, Files.readString(installation.home.resolve("conf/model.json"))
          .replace("localhost:5432", "127.0.0.1:" + postgres.port())
          .replace("\"jdbcUser\": \"postgres\"", "\"jdbcUser\": \"" + PostgresServer.USER + "\""));
      assertTotalAndRegions(installation, model, "pg");
    }
  }

  @Test void aDriverInPluginsIsLoaded() throws Exception {
    String url = "jdbc:hsqldb:file:" + dir.resolve("hsql/db");
    try (Connection db = DriverManager.getConnection(url, "SA", "");
         Statement st = db.createStatement()) {
      st.execute("CREATE TABLE numbers (n INT)");
      st.execute("INSERT INTO numbers VALUES (1), (2), (3)");
      // Releases the files for the server.
      st.execute("SHUTDOWN");
    }
    Installation installation = Installation.unpack(dir);
    Path driver = Path.of(org.hsqldb.jdbc.JDBCDriver.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Files.copy(driver, installation.home.resolve("plugins").resolve(driver.getFileName()));
    Path model = dir.resolve("model.json");
    Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"hsql\", \"schemas\": ["
        + "{\"name\": \"hsql\", \"type\": \"jdbc\", \"jdbcDriver\": \"org.hsqldb.jdbc.JDBCDriver\","
        + " \"jdbcUrl\": \"" + url + "\", \"jdbcUser\": \"SA\", \"jdbcPassword\": \"\","
        + " \"jdbcSchema\": \"PUBLIC\"},"
        + "{\"name\": \"tpch\", \"type\": \"custom\", "
        + "\"factory\": \"io.quell.sample.TpchSchemaFactory\", \"operand\": {\"scale\": 0.01}}]}");
    assertTotalAndRegions(installation, model, "hsql");
  }

  /** The sum of {@code schema}'s numbers, each counted once per TPC-H region. */
  private void assertTotalAndRegions(Installation installation, Path model, String schema)
      throws Exception {
    try (ServerProcess server = installation.startServer(dir, "--model", model.toString())) {
      ShellRun run = installation.runSql("-u", server.url(), "-p", Installation.ROOT_PASSWORD,
          "--outputformat=csv", "-e", "SELECT SUM(n) AS total, COUNT(DISTINCT r_name) AS regions"
              + " FROM " + schema + ".numbers CROSS JOIN tpch.region");
      assertEquals(0, run.exitCode(), run + server.console());
      assertEquals("'total','regions'\n'30','5'\n", run.out());
      DistributionTest.assertNoLoggingWarnings(run.err() + server.console());
    }
  }
}
