package io.quell.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution, unpacked and run from its directory: bin/quell-server, and
 * bin/quell-sql with -e, with SQL on standard input, and at a terminal.
 */
@Timeout(120)
class DistributionTest {
  @TempDir static Path dir;
  static Installation installation;
  static ServerProcess server;
  static Connection root;

  @BeforeAll static void start() throws Exception {
    installation = Installation.unpack(dir);
    server = installation.startServer(dir, "--scale", "0.01", "--slow-query-threshold", "200ms");
    root = server.connect("root", Installation.ROOT_PASSWORD);
    try (Statement s = root.createStatement()) {
      s.executeUpdate("CREATE USER alice WITH PASSWORD 'alice-secret'");
      s.executeUpdate("CREATE USER bob WITH PASSWORD 'bob-secret'");
    }
  }

  @AfterAll static void stop() throws Exception {
    if (root != null) {
      root.close();
    }
    if (server != null) {
      server.close();
      assertNoLoggingWarnings(server.console());
    }
  }

  /** What a missing SLF4J binding or Log4j configuration prints. */
  static void assertNoLoggingWarnings(String output) {
    assertFalse(output.contains("SLF4J:"), output);
    assertFalse(output.contains("StatusLogger"), output);
  }

  static ShellRun assertClean(ShellRun run) {
    assertNoLoggingWarnings(run.err());
    return run;
  }

  @Test void layout() throws Exception {
    Path home = installation.home;
    for (String command : List.of("quell-server", "quell-sql")) {
      assertTrue(Files.isExecutable(home.resolve("bin").resolve(command)), command);
    }
    for (String file : List.of("conf/log4j2.xml", "conf/log4j2-sql.xml", "conf/model.json",
        "plugins", "lib/quell-core-" + System.getProperty("quell.version") + ".jar")) {
      assertTrue(Files.exists(home.resolve(file)), file);
    }
    try (var jars = Files.list(home.resolve("lib"))) {
      assertTrue(jars.noneMatch(j -> j.getFileName().toString().startsWith("slf4j-simple")),
          "one SLF4J binding: Log4j's");
    }
    ShellRun help = assertClean(ShellRun.await(new ProcessBuilder(
        installation.command("quell-server").toString(), "--help").start()));
    assertEquals(0, help.exitCode(), help.toString());
    for (String flag : List.of("--port", "--data-dir", "--model", "--zookeeper", "--tls-keystore",
        "--root-password", "--connection-expiry")) {
      assertTrue(help.out().contains(flag), help.toString());
    }
  }

  @Test void theServerLogsToTheConsoleAndToItsRollingFile() throws Exception {
    ShellRun failed = assertClean(installation.runSql("-u", server.url(),
        "-p", Installation.ROOT_PASSWORD, "-e", "SET no_such_setting = 1"));
    assertEquals(2, failed.exitCode(), failed.toString());
    String file = Files.readString(installation.home.resolve("log/quell-server.log"));
    assertTrue(file.contains(" INFO  [main] org.eclipse.jetty.server.Server - Started @"), file);
    assertTrue(file.contains("(SQLSTATE 42704): unrecognized configuration parameter "
        + "\"no_such_setting\""), file);
    assertTrue(file.contains("QuellException[42704]"), "the file has the trace:\n" + file);
    String console = server.console();
    assertTrue(console.contains("INFO  ErrorReplies - error "), console);
    assertFalse(console.contains("QuellException[42704]"), "no INFO traces on the console:\n"
        + console);
  }

  @Test void aSlowStatementGoesToTheSlowQueryLogOnly() throws Exception {
    try (Statement s = root.createStatement()) {
      s.executeQuery("SELECT pg_sleep(0.3) AS slow, 'slow-marker' AS m").close();
    }
    Path slowLog = installation.home.resolve("log/slow-queries.log");
    String slow = Files.readString(slowLog);
    assertTrue(slow.lines().anyMatch(l -> l.startsWith("{\"time\":")
        && l.contains("\"fingerprint\":\"select pg_sleep(?) as slow, ? as m\"")
        && l.contains("\"outcome\":\"ok\"") && l.contains("slow-marker")), slow);
    assertFalse(Files.readString(installation.home.resolve("log/quell-server.log"))
        .contains("slow-marker"), "the server's log has no slow-query line");
    assertFalse(server.console().contains("slow-marker"), "nor has the console");
  }

  @Test void aStatementGivenWithDashE() throws Exception {
    ShellRun run = assertClean(installation.runSql("-u", server.url(),
        "-p", Installation.ROOT_PASSWORD,
        "-e", "SELECT n_name FROM nation WHERE n_nationkey < 3 ORDER BY n_nationkey"));
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("+-----------+\n"
        + "|  n_name   |\n"
        + "+-----------+\n"
        + "| ALGERIA   |\n"
        + "| ARGENTINA |\n"
        + "| BRAZIL    |\n"
        + "+-----------+\n", run.out());
    assertEquals("", run.err());
  }

  @Test void aFailingStatementExitsNonZeroWithTheServersMessageAndSqlState() throws Exception {
    ShellRun run = assertClean(installation.runSql("-u", server.url(),
        "-p", Installation.ROOT_PASSWORD, "-e", "CANCEL SESSION 'nope'"));
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("could not parse session ID 'nope'"), run.toString());
    assertTrue(run.err().contains("(state=22023,"), run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run);
  }

  @Test void standardInputRunsAsAScriptThatStopsAtItsFirstError() throws Exception {
    Map<String, String> alice = Map.of("QUELL_PASSWORD", "alice-secret");
    ShellRun ok = assertClean(installation.runSql(
        "SELECT 1 AS piped;\nSELECT 2\n  AS two_lines;\n", alice,
        "-u", server.url(), "-n", "alice", "--outputformat=csv"));
    assertEquals(0, ok.exitCode(), ok.toString());
    assertEquals("'piped'\n'1'\n'two_lines'\n'2'\n", ok.out());

    ShellRun failed = assertClean(installation.runSql(
        "SELECT 1 AS before_error;\nCANCEL SESSION 'nope';\nSELECT 2 AS after_error;\n", alice,
        "-u", server.url(), "-n", "alice"));
    assertEquals(2, failed.exitCode(), failed.toString());
    assertTrue(failed.out().contains("before_error"), failed.toString());
    assertFalse(failed.out().contains("after_error"), failed.toString());
    assertTrue(failed.err().contains("(state=22023,"), failed.toString());

    ShellRun wrongPassword = assertClean(installation.runSql("SELECT 1;\n", Map.of(),
        "-u", server.url(), "-n", "alice"));
    assertEquals(2, wrongPassword.exitCode(), wrongPassword.toString());
    assertTrue(wrongPassword.err().contains("(state=28P01,"), wrongPassword.toString());
  }

  @Test void ctrlCAtATerminalCancelsTheQueryOnTheServerAndTheShellLivesOn() throws Exception {
    assumeTrue(Files.isExecutable(TerminalSession.SCRIPT), "needs util-linux's script");
    try (TerminalSession terminal = TerminalSession.start(installation, dir,
        List.of("-u", server.url(), "-n", "alice", "-p", "alice-secret"))) {
      terminal.awaitScreen("quell> ");
      terminal.type("SELECT pg_sleep(30);\n");
      awaitRunningSleeps("alice", 1);
      // sqlline cancels the running statement on any signal of its terminal; a resized window
      // must not.
      terminal.signal("WINCH");
      Thread.sleep(500);
      assertEquals(1, runningSleeps("alice"), "still running after SIGWINCH");
      terminal.type(String.valueOf(TerminalSession.CTRL_C));
      terminal.awaitScreen("query execution canceled (state=57014,");
      awaitRunningSleeps("alice", 0);
      terminal.type("SELECT 42 AS after_cancel;\n");
      terminal.awaitScreen("| 42           |");
      terminal.type("!quit\n");
      assertEquals(0, terminal.awaitExit(), terminal.screen());
      assertNoLoggingWarnings(terminal.screen());
    }
    assertEquals(List.of("STATEMENT"), awaitCancellationCauses("alice"));
    String history = Files.readString(dir.resolve("user-home/.quell_sql_history"));
    assertTrue(history.contains("SELECT 42 AS after_cancel;"), history);
  }

  @Test void ctrlCInAScriptEndsTheShellAndItsQueryOnTheServer() throws Exception {
    Process shell = installation.sql(Map.of("QUELL_PASSWORD", "bob-secret"),
        List.of("-u", server.url(), "-n", "bob", "-e", "SELECT pg_sleep(30)")).start();
    awaitRunningSleeps("bob", 1);
    assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(shell.pid())).start()
        .waitFor());
    assertTrue(shell.waitFor(10, TimeUnit.SECONDS));
    assertEquals(130, shell.exitValue());
    awaitRunningSleeps("bob", 0);
    List<String> causes = awaitCancellationCauses("bob");
    assertEquals(List.of("CONNECTION_CLOSED"), causes, "the server's log: " + server.console());
  }

  /**
   * How many {@code pg_sleep} queries {@code user} runs: only those, as the shell's own
   * statements at connect are queries of the user too (Ctrl-C during one of them, on a
   * loaded machine, left no sleep to cancel).
   */
  static int runningSleeps(String user) throws SQLException {
    try (Statement s = root.createStatement(); ResultSet rows = s.executeQuery(
        "SELECT COUNT(*) FROM (SHOW QUERIES) AS q WHERE user_name = '" + user
            + "' AND query LIKE '%pg_sleep%'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  static void awaitRunningSleeps(String user, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (runningSleeps(user) != count) {
      assertTrue(System.currentTimeMillis() < deadline,
          "never " + count + " running sleeps of " + user);
      Thread.sleep(50);
    }
  }

  /** The causes in the cancellation audit of {@code user}'s queries, once there are any. */
  static List<String> awaitCancellationCauses(String user) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      List<String> causes = new ArrayList<>();
      try (Statement s = root.createStatement(); ResultSet rows = s.executeQuery(
          "SELECT cause FROM quell_internal.cancellations WHERE target_user = '" + user + "'")) {
        while (rows.next()) {
          causes.add(rows.getString(1));
        }
      }
      if (!causes.isEmpty() || System.currentTimeMillis() > deadline) {
        return causes;
      }
      Thread.sleep(50);
    }
  }
}
