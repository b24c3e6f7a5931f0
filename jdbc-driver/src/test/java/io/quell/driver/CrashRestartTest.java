package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.server.ServerMain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server process killed with SIGKILL right after its last catalog change, then started
 * again on the same data directory: every committed user, role and grant is there, every user
 * logs in, and the catalog takes new changes.
 */
@Timeout(900)
class CrashRestartTest {
  private static final Pattern LISTENING = Pattern.compile("JDBC URL: (jdbc:quell://\\S+)");
  private static final int CRASHES = Integer.getInteger("quell.crash.rounds", 2);

  @TempDir Path dir;

  @Test void killNineKeepsEveryCommittedUserAndGrant() throws Exception {
    Path data = dir.resolve("data");
    List<String> users = new ArrayList<>();
    List<List<String>> expectedUsers = null;
    List<List<String>> expectedGrants = null;
    for (int round = 0; round <= CRASHES; round++) {
      Process server = startServer(data);
      try {
        String url = awaitUrl(server);
        try (Connection root = connect(url, "root", ServerFixture.ROOT_PASSWORD)) {
          if (expectedUsers != null) {
            assertEquals(expectedUsers, rows(root, "SELECT username, options, member_of "
                + "FROM quell_internal.users ORDER BY username"), "users after crash " + round);
            assertEquals(expectedGrants, rows(root, "SELECT role_name, \"member\", is_admin "
                + "FROM quell_internal.grants ORDER BY role_name, \"member\""),
                "grants after crash " + round);
            for (String user : users) {
              connect(url, user, "pw-" + user).close();
            }
          }
          if (round == CRASHES) {
            break;
          }
          // Changes right up to the kill: the last one returns just before SIGKILL.
          String role = "team" + round;
          update(root, "CREATE ROLE " + role + " VIEWACTIVITY");
          for (int i = 0; i < 3; i++) {
            String user = "u" + round + "_" + i;
            update(root, "CREATE USER " + user + " WITH PASSWORD 'pw-" + user + "'");
            update(root, "GRANT " + role + " TO " + user);
            users.add(user);
          }
          update(root, "GRANT admin TO u" + round + "_0");
          expectedUsers = rows(root, "SELECT username, options, member_of "
              + "FROM quell_internal.users ORDER BY username");
          expectedGrants = rows(root, "SELECT role_name, \"member\", is_admin "
              + "FROM quell_internal.grants ORDER BY role_name, \"member\"");
        }
      } finally {
        server.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      }
    }
    System.out.println("[crash] " + CRASHES + " SIGKILLs, " + users.size()
        + " users and their grants intact after each restart");
  }

  private Process startServer(Path data) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(), "--host", "127.0.0.1", "--port", "0", "--pg-port", "0",
        "--data-dir", data.toString(), "--scale", "0.01",
        "--root-password", ServerFixture.ROOT_PASSWORD).redirectErrorStream(true).start();
  }

  /** The JDBC URL the server prints once it listens; its other output is drained. */
  private static String awaitUrl(Process server) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
        url.completeExceptionally(new IllegalStateException("server exited"));
      } catch (Exception e) {
        url.completeExceptionally(e);
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    return url.get(120, TimeUnit.SECONDS);
  }

  private static Connection connect(String url, String user, String password)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection(url, props);
  }


  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    assertTrue(!rows.isEmpty(), sql);
    return rows;
  }
}
