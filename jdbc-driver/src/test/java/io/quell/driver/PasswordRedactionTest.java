package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What users and operators of a real server can read (its SQL tables of sessions, queries,
 * closed sessions and cancellations, the console's JSON, error replies and the server log)
 * never holds a password of a CREATE/ALTER USER|ROLE statement, however the statement is
 * written or broken; nor a constant of another user's statement for VIEWACTIVITYREDACTED.
 */
@Timeout(600)
class PasswordRedactionTest {
  private static final String[] COMMENTS = {"/* it's */", "-- don't\n", "/* \"x */",
      "/* ' */", "--'\n", "/* password 'decoy */", "/*x='1'*/"};
  private static final String[] NAMES = {"u1", "\"it's\"", "\"Pass Word\"", "password",
      "\"a\"\"b\"", "U&\"q\""};
  private static final String[] OPTIONS = {"LOGIN", "NOVIEWACTIVITY", "CANCELQUERY",
      "CONNECTION LIMIT 4", "NOCANCELQUERY"};
  private static final String[] BREAKS = {"BOGUS", ")", "'", "\"", "/*", "'x' 'y", "=", ";",
      "PASSWORD"};

  @TempDir Path dir;

  @Test void passwordsAndConstantsAppearNowhere() throws Exception {
    long seed = Long.getLong("redaction.seed", 2026);
    System.out.println("redaction seed " + seed);
    Random random = new Random(seed);
    try (ServerLog log = ServerLog.capture(); ServerFixture f = new ServerFixture(dir)) {
      Connection root = f.root();
      update(root, "CREATE USER watcher WITH PASSWORD 'watcher-pw' VIEWACTIVITY");
      update(root, "CREATE USER redactor WITH PASSWORD 'redactor-pw' VIEWACTIVITYREDACTED");
      Connection watcher = f.connect("watcher", "watcher-pw");
      List<String> secrets = new ArrayList<>();
      int failed = 0;
      for (int n = 0; n < 40; n++) {
        String secret = "pw" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        secrets.add(secret);
        String sql = userStatement(random, secret);
        Connection c = f.root();
        try {
          if (random.nextBoolean()) {
            update(c, sql);
          } else {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.executeUpdate();
            }
          }
        } catch (SQLException e) {
          failed++;
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret),
                sql + " failed as " + t.getMessage());
          }
        }
        assertHidden(secrets, text(watcher, "SELECT * FROM (SHOW SESSIONS) AS s"), sql);
        if (random.nextBoolean()) {
          c.close();
        }
      }
      assertTrue(failed >= 10, failed + " statements failed: too few broken ones tried");

      // A CANCEL's text is audited; its comment may quote a password too.
      String cancelSecret = "pw-cancel-" + random.nextInt(1_000_000);
      secrets.add(cancelSecret);
      Connection sleeper = f.root();
      CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() ->
          assertThrows(SQLException.class, () -> update(sleeper, "SELECT pg_sleep(60)")));
      long cancelled = 0;
      for (int tries = 0; cancelled == 0 && tries < 100; tries++) {
        Thread.sleep(100);
        cancelled = update(root, "CANCEL QUERIES IF EXISTS (SELECT query_id FROM "
            + "(SHOW QUERIES) AS q WHERE query LIKE 'SELECT pg_sleep%') /* rotating: "
            + "ALTER USER u1 PASSWORD '" + cancelSecret + "' */");
      }
      assertEquals(1, cancelled);
      sleeping.get(30, TimeUnit.SECONDS);
      String audit = text(root, "SELECT statement FROM quell_internal.cancellations");
      assertTrue(audit.contains("CANCEL QUERIES"), audit);

      String constantsBy = constantStatements(f.root(), random);
      List<String> constants = List.of(constantsBy.split(","));

      List<String> shown = new ArrayList<>();
      for (Connection c : List.of(root, watcher)) {
        shown.add(text(c, "SELECT * FROM (SHOW ALL SESSIONS) AS s"));
        shown.add(text(c, "SELECT * FROM (SHOW ALL QUERIES) AS q"));
      }
      shown.add(audit);
      ConsoleClient console = ConsoleClient.basic(f.server.port(), "root",
          ServerFixture.ROOT_PASSWORD);
      shown.add(console.get("api/sessions?closed=true&internal=true&limit=500").raw().body());
      shown.add(console.get("api/cancellations").raw().body());
      for (String id : console.get("api/sessions?closed=true&limit=500").column("session_id")) {
        shown.add(console.get("api/sessions/" + id).raw().body());
      }
      for (String text : shown) {
        assertHidden(secrets, text, "what root and watcher read");
      }
      assertTrue(String.join("", shown).contains("PASSWORD '*****'"),
          "the statements are shown, their passwords hidden");

      Connection redactor = f.connect("redactor", "redactor-pw");
      List<String> redacted = List.of(
          text(redactor, "SELECT * FROM (SHOW ALL SESSIONS) AS s"),
          ConsoleClient.basic(f.server.port(), "redactor", "redactor-pw")
              .get("api/sessions?closed=true&limit=500").raw().body());
      for (String text : redacted) {
        assertHidden(secrets, text, "what redactor reads");
        assertHidden(constants, text, "what redactor reads");
        assertTrue(text.contains("FROM nation"), "root's statements are listed: " + text);
      }

      assertHidden(secrets, log.text(), "the server log");
      assertTrue(log.text().contains("'*****'"), "the failed statements are in the log");
    }
  }

  /** A CREATE or ALTER USER|ROLE with {@code secret} as (or in) its password, maybe broken. */
  private static String userStatement(Random random, String secret) {
    boolean broken = random.nextInt(3) == 0;
    List<String> words = new ArrayList<>();
    boolean create = random.nextBoolean();
    words.add(create ? "CREATE" : "ALTER");
    words.add(random.nextBoolean() ? "USER" : "ROLE");
    if (random.nextInt(4) == 0) {
      words.add(create ? "IF NOT EXISTS" : "IF EXISTS");
    }
    words.add(NAMES[random.nextInt(NAMES.length)]);
    if (random.nextBoolean()) {
      words.add("WITH");
    }
    int before = random.nextInt(3);
    for (int i = 0; i < before; i++) {
      words.add(OPTIONS[random.nextInt(OPTIONS.length)]);
    }
    words.add(random.nextBoolean() ? "PASSWORD" : "password");
    words.add(switch (random.nextInt(broken ? 9 : 5)) {
      case 0 -> "'" + secret + "'";
      case 1 -> "'it''s /* " + secret + " -- '";
      case 2 -> "E'\\'" + secret + "\\''";
      case 3 -> "'" + secret.substring(0, 3) + "' -- split\n'" + secret + "'";
      case 4 -> "U&'" + secret + "'";
      case 5 -> "\"" + secret + "\"";
      case 6 -> "= '" + secret + "'";
      case 7 -> secret;
      default -> "'" + secret;
    });
    for (int i = random.nextInt(3); i > 0; i--) {
      words.add(OPTIONS[random.nextInt(OPTIONS.length)]);
    }
    if (broken) {
      words.add(BREAKS[random.nextInt(BREAKS.length)]);
    }
    StringBuilder sql = new StringBuilder();
    for (String word : words) {
      if (sql.length() > 0) {
        sql.append(switch (random.nextInt(5)) {
          case 0 -> " " + COMMENTS[random.nextInt(COMMENTS.length)] + " ";
          case 1 -> "\n  ";
          default -> " ";
        });
      }
      sql.append(random.nextInt(4) == 0 && !word.contains("'") && !word.contains("\"")
          ? word.toLowerCase(java.util.Locale.ROOT) : word);
    }
    return sql.toString();
  }

  /**
   * Runs statements full of constants as root, in a session it then closes, and returns the
   * constants, comma-separated.
   */
  private static String constantStatements(Connection c, Random random) throws SQLException {
    List<String> constants = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      String a = "k" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36);
      // Fifteen digits, which no counter, id or time in a listing holds by chance.
      String b = Long.toString(731_000_000_000_000L + random.nextInt(Integer.MAX_VALUE));
      String d = "z" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36);
      constants.addAll(List.of(a, b, d));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'it''s "
          + a + "' AS x, " + b + " /* " + d + " */ AS y FROM nation WHERE n_name <> '" + d
          + "' -- " + a + "\n")) {
        while (rs.next()) {
          assertEquals(Long.parseLong(b), rs.getLong(2));
        }
      }
    }
    c.close();
    return String.join(",", constants);
  }

  /** Every value of every row {@code sql} returns, as one text. */
  private static String text(Connection c, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          out.append(rs.getString(i)).append('\t');
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static void assertHidden(List<String> secrets, String text, String where) {
    for (String secret : secrets) {
      assertFalse(text.contains(secret), () -> where + " shows " + secret + ":\n" + text);
    }
  }
}
