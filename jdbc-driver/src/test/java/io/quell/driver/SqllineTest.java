package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import sqlline.SqlLine;

/** sqlline, Calcite's CLI, driven non-interactively against a live server. */
@Timeout(60)
class SqllineTest {
  @TempDir Path dir;

  private static String sqlline(String url, String password, String script) throws Exception {
    SqlLine sqlline = new SqlLine();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sqlline.setOutputStream(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    sqlline.setErrorStream(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    SqlLine.Status status = sqlline.begin(new String[] {"-u", url, "-n", "root", "-p", password,
        "--silent=true", "--outputformat=csv"},
        new ByteArrayInputStream((script + "\n!quit\n").getBytes(StandardCharsets.UTF_8)), false);
    assertEquals(SqlLine.Status.OK, status, out.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test void showAndCancelSessionsFromSqlline() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      Connection victim = f.root();
      String victimId;
      try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SHOW session_id")) {
        rs.next();
        victimId = rs.getString(1);
      }
      String out = sqlline(f.url(), ServerFixture.ROOT_PASSWORD,
          "SELECT user_name, session_id FROM (SHOW SESSIONS) AS s;\n"
              + "CANCEL SESSION '" + victimId + "';");
      assertTrue(out.contains(victimId), out);
      String plain = sqlline("jdbc:avatica:remote:url=http://127.0.0.1:" + f.server.port()
          + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=root;avatica_password="
          + ServerFixture.ROOT_PASSWORD, ServerFixture.ROOT_PASSWORD, "SHOW SESSIONS;");
      assertTrue(plain.contains("root"), plain);
      assertTrue(f.server.engine().registry().sessions().stream()
          .noneMatch(s -> s.id().toString().equals(victimId)), "sqlline's CANCEL ended it");
    }
  }
}
