package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.session.Session;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * psql, PostgreSQL's own shell (Debian's), against a Quell server's PostgreSQL port: a query,
 * a wrong password, and Ctrl-C (SIGINT), which psql turns into a CancelRequest. Skipped where
 * psql is not installed, except on CI, where .ci/run installs it.
 */
@Timeout(120)
class PsqlTest {
  @TempDir static Path dir;
  private static PgWireServer server;

  @BeforeAll static void start() throws Exception {
    Assumptions.assumeTrue(System.getenv("CI") != null || psql() != null,
        "psql is not installed: skipped");
    server = PgWireServer.start(dir.resolve("data"));
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The psql on the PATH, or null. */
  static String psql() {
    for (String path : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      File candidate = new File(path, "psql");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }

  private static ProcessBuilder psql(String password, String... arguments) {
    List<String> command = new ArrayList<>(List.of(psql() == null ? "psql" : psql(), "-X",
        "-h", "127.0.0.1", "-p", String.valueOf(server.pgPort()), "-U", "root", "-d", "quell"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", password);
    builder.environment().put("PGCONNECT_TIMEOUT", "10");
    builder.environment().remove("PGSERVICE");
    return builder;
  }

  private record Run(int exit, String output) {
  }

  private static Run run(ProcessBuilder builder) throws Exception {
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "psql ended");
    return new Run(process.exitValue(), output);
  }

  @Test void runsAQuery() throws Exception {
    Run select = run(psql(PgWireServer.ROOT_PASSWORD, "-A", "-t", "-c",
        "SELECT 40 + 2 AS answer, 'psql' AS client"));
    assertEquals(0, select.exit(), select.output());
    assertEquals("42|psql", select.output().strip());
    Run table = run(psql(PgWireServer.ROOT_PASSWORD, "-c",
        "SELECT n_name FROM nation WHERE n_nationkey < 2 ORDER BY n_nationkey"));
    assertEquals(0, table.exit(), table.output());
    assertTrue(table.output().contains("ALGERIA") && table.output().contains("ARGENTINA")
        && table.output().contains("(2 rows)"), table.output());
  }

  /** psql's describe commands, which read pg_catalog with PostgreSQL's own grammar. */
  @Test void describesWithBackslashCommands() throws Exception {
    Run dt = run(psql(PgWireServer.ROOT_PASSWORD, "-v", "ON_ERROR_STOP=1", "-c", "\\dt"));
    assertEquals(0, dt.exit(), dt.output());
    assertTrue(dt.output().contains("List of relations") && dt.output().contains("(8 rows)")
        && dt.output().matches("(?s).*tpch +\\| lineitem +\\| table +\\| root.*"), dt.output());
    Run d = run(psql(PgWireServer.ROOT_PASSWORD, "-v", "ON_ERROR_STOP=1", "-c",
        "\\d lineitem"));
    assertEquals(0, d.exit(), d.output());
    assertTrue(d.output().contains("Table \"tpch.lineitem\"")
        && d.output().matches("(?s).*l_orderkey +\\| bigint +\\| +\\| not null.*")
        && d.output().matches("(?s).*l_shipdate +\\| date .*"), d.output());
    Run du = run(psql(PgWireServer.ROOT_PASSWORD, "-v", "ON_ERROR_STOP=1", "-c", "\\du"));
    assertEquals(0, du.exit(), du.output());
    assertTrue(du.output().contains("root") && du.output().contains("Superuser"), du.output());
    Run missing = run(psql(PgWireServer.ROOT_PASSWORD, "-c", "\\d no_such_table"));
    assertTrue(missing.output().contains("Did not find any relation named \"no_such_table\""),
        missing.output());
  }

  @Test void reportsAWrongPassword() throws Exception {
    Run wrong = run(psql("not-the-password", "-c", "SELECT 1"));
    assertEquals(2, wrong.exit(), wrong.output());
    assertTrue(wrong.output().contains("password authentication failed for user \"root\""),
        wrong.output());
  }

  @Test void reportsAnErrorAndItsState() throws Exception {
    Run error = run(psql(PgWireServer.ROOT_PASSWORD, "-v", "ON_ERROR_STOP=1",
        "-v", "VERBOSITY=verbose", "-c", "SELECT 1 / 0"));
    assertEquals(1, error.exit(), error.output());
    assertTrue(error.output().contains("22012"), error.output());
  }

  @Test void ctrlCCancelsTheRunningQueryWithinASecond() throws Exception {
    Process process = psql(PgWireServer.ROOT_PASSWORD, "-c", "SELECT pg_sleep(30)").start();
    try {
      awaitSleeping();
      long start = System.nanoTime();
      Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(process.waitFor(10, TimeUnit.SECONDS), "psql ended");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      String output = new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      assertNotEquals(0, process.exitValue(), output);
      assertTrue(output.contains("query execution canceled"), output);
      assertTrue(millis < 1000, "psql ended " + millis + " ms after Ctrl-C: " + output);
    } finally {
      process.destroyForcibly();
    }
  }

  /** Waits until psql's session runs pg_sleep. */
  private static void awaitSleeping() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (Session session : server.server().engine().registry().sessions()) {
        if (session.activeQuery() != null && session.activeQuery().sql().contains("pg_sleep")) {
          Thread.sleep(200);
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("psql never ran its query");
  }
}
