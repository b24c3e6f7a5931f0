package io.quell.parser.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.parser.impl.RewritingParserFactory;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Passwords never survive in kept or logged text, and constants never in redacted text,
 * whatever comments, quotes, case, layout or syntax errors surround them: statements are
 * generated at random, and the secret is looked for in what comes out.
 */
class SqlRedactionTest {
  private static final String[] COMMENTS = {"/* it's */", "-- it's\n", "// don't\n",
      "/** ' */", "/*'*/", "/* \" */", "-- '\r\n", "/* PASSWORD 'decoy */", "/**/",
      "/*a='1'*/"};
  private static final String[] NAMES = {"a2", "\"it's\"", "\"Password\"", "\"a\"\"b\"",
      "password", "U&\"x\"", "$dollar", "role_1"};
  /** Options of distinct flags, which may stand in any order. */
  private static final String[] OPTIONS = {"VIEWACTIVITY", "NOCANCELQUERY", "NOLOGIN",
      "VIEWACTIVITYREDACTED", "CONNECTION LIMIT 3", "QUERY LIMIT 2"};
  /** What may follow a password and make the statement fail to parse. */
  private static final String[] ERRORS = {"BOGUS", "'", "\"", "/*", "'unterminated",
      "PASSWORD", ",", "(", "'x' 'y", "E'\\'", "--"};

  @Test void examples() {
    assertEquals("CREATE USER a WITH PASSWORD '*****' VIEWACTIVITY",
        SqlRedaction.hidePasswords("CREATE USER a WITH PASSWORD 'it''s secret' VIEWACTIVITY"));
    assertEquals("alter user \"Password\" password\n  '*****'",
        SqlRedaction.hidePasswords("alter user \"Password\" password\n  'x'"));
    assertEquals("ALTER USER a PASSWORD NULL",
        SqlRedaction.hidePasswords("ALTER USER a PASSWORD NULL"));
    assertEquals("SELECT 'PASSWORD', 'kept' FROM t WHERE password_hint = 'kept'",
        SqlRedaction.hidePasswords(
            "SELECT 'PASSWORD', 'kept' FROM t WHERE password_hint = 'kept'"));
    assertEquals("CREATE USER a2 /* it's */ WITH PASSWORD '*****'",
        SqlRedaction.hidePasswords("CREATE USER a2 /* it's */ WITH PASSWORD 'secret-two'"));
    assertEquals("CREATE USER a PASSWORD '*****' LOGIN",
        SqlRedaction.hidePasswords("CREATE USER a PASSWORD 'one'\n-- c\n'two' LOGIN"));
    assertEquals("ALTER USER a WITH PASSWORD '*****' LOGIN, PASSWORD = '*****'",
        SqlRedaction.hidePasswords(
            "ALTER USER a WITH PASSWORD hunter2 LOGIN, PASSWORD = \"x\"\"y\""));
    assertEquals("ALTER USER a PASSWORD '*****'; SELECT password FROM t WHERE password = '*****'",
        SqlRedaction.hidePasswords(
            "ALTER USER a PASSWORD 12345; SELECT password FROM t WHERE password = 'x'"));
    assertEquals("ALTER USER a /* was password '*****' */ PASSWORD '*****' -- PassWord '*****'\n",
        SqlRedaction.hidePasswords(
            "ALTER USER a /* was password 'old' */ PASSWORD 'new' -- PassWord newer\n"));
    assertEquals("<unparseable statement: 33 characters>",
        SqlRedaction.hidePasswords("CREATE USER a PASSWORD 'no end..."));
    assertEquals("SELECT _, _, \"it's\" FROM t WHERE x = _ AND y IN (_, \n_)  ",
        SqlRedaction.hideConstants(
            "SELECT 'a', 1.5e3, \"it's\" FROM t WHERE x = N'b' AND y IN (X'0A', -- 'c\n7) "
                + "/* 8 */"));
  }

  @Test void errorTextQuotingAStatement() {
    String message = "java.sql.SQLException: Error while executing SQL \"CREATE USER a3 "
        + "/* it's */ WITH PASSWORD 'secret-three' BOGUS\": parse failed: Encountered "
        + "\"\\'secret-three\\'\" at line 1, column 45.";
    String scrubbed = SqlRedaction.scrubPasswords(message);
    assertFalse(scrubbed.contains("secret-three"), scrubbed);
    assertTrue(scrubbed.contains("Error while executing SQL \"CREATE USER a3 /* it's */ WITH "
        + "PASSWORD '*****' BOGUS\": parse failed: Encountered"), scrubbed);
    assertEquals("a passwordless line, 'kept'",
        SqlRedaction.scrubPasswords("a passwordless line, 'kept'"));
    assertEquals("PASSWORD '*****'\nnext line",
        SqlRedaction.scrubPasswords("PASSWORD 'never ends\nnext line"));
  }

  /** Random CREATE/ALTER USER|ROLE statements; the password is nowhere in what is shown. */
  @Test void passwordsNeverShow() throws Exception {
    Random random = new Random(Long.getLong("redaction.seed", 26));
    int parsed = 0;
    int failed = 0;
    for (int n = 0; n < 20_000; n++) {
      String secret = "pw" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      boolean broken = random.nextInt(4) == 0;
      String sql = userStatement(random, secret, broken);
      String hidden = SqlRedaction.hidePasswords(sql);
      assertFalse(hidden.contains(secret), () -> sql + " shown as " + hidden);
      String logged = SqlRedaction.scrubPasswords(
          "Error while executing SQL \"" + sql + "\": parse failed");
      assertFalse(logged.contains(secret), () -> sql + " logged as " + logged);
      if (broken) {
        // The parser's error, which the client reads and the log keeps, quotes no password.
        try {
          parse(sql);
        } catch (SqlParseException e) {
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          assertFalse(trace.toString().contains(secret), () -> sql + " failed as " + trace);
          failed++;
        }
      } else {
        // Only the password changed: the text shown parses to the same statement but for it.
        assertEquals(withoutPassword(parse(sql)), withoutPassword(parse(hidden)), sql);
        assertEquals(SqlRedaction.HIDDEN_PASSWORD, password(parse(hidden)), sql);
        parsed++;
      }
    }
    assertTrue(parsed > 10_000, parsed + " statements parsed");
    assertTrue(failed > 3_000, failed + " statements failed to parse");
  }

  /** Random queries full of constants; none shows through VIEWACTIVITYREDACTED. */
  @Test void constantsNeverShow() {
    Random random = new Random(Long.getLong("redaction.seed", 27));
    for (int n = 0; n < 20_000; n++) {
      List<String> constants = new ArrayList<>();
      StringBuilder sql = new StringBuilder(random.nextBoolean() ? "SELECT " : "select\t");
      int items = 1 + random.nextInt(6);
      for (int i = 0; i < items; i++) {
        String constant = Integer.toString(100_000 + random.nextInt(900_000));
        constants.add(constant);
        String[] shapes = {"'k" + constant + "'", "'it''s " + constant + "'", constant,
            constant + ".25", "1" + constant + "e3", "N'" + constant + "'",
            "X'" + constant + "'", "E'\\'" + constant + "'", "U&'" + constant + "'",
            "DATE '" + constant + "'", "'a'\n'" + constant + "'", "_latin1'" + constant + "'"};
        sql.append(i == 0 ? "" : ", ").append(shapes[random.nextInt(shapes.length)]);
        if (random.nextInt(3) == 0) {
          sql.append(' ').append(COMMENTS[random.nextInt(COMMENTS.length)]).append(' ');
        }
        sql.append(" AS \"c'").append(i).append("\"");
      }
      sql.append(" FROM \"it's\" WHERE x = ").append(random.nextInt(1000) + 1_000_000)
          .append(" -- done ").append(random.nextInt(1000) + 2_000_000);
      String redacted = SqlRedaction.hideConstants(sql.toString());
      for (String constant : constants) {
        assertFalse(redacted.contains(constant), () -> sql + " redacted as " + redacted);
      }
      assertFalse(redacted.contains("100") && redacted.contains("1000"), redacted);
      assertTrue(redacted.contains("FROM \"it's\" WHERE x = _"), redacted);
    }
  }

  private static String userStatement(Random random, String secret, boolean broken) {
    List<String> parts = new ArrayList<>();
    boolean create = random.nextBoolean();
    parts.add(create ? "CREATE" : "ALTER");
    parts.add(random.nextBoolean() ? "USER" : "ROLE");
    if (random.nextInt(4) == 0) {
      parts.add(create ? "IF NOT EXISTS" : "IF EXISTS");
    }
    parts.add(NAMES[random.nextInt(NAMES.length)]);
    if (random.nextBoolean()) {
      parts.add("WITH");
    }
    List<String> options = new ArrayList<>();
    options.add(random.nextBoolean() ? "PASSWORD" : "PassWord");
    options.add(password(random, secret, broken));
    List<String> flags = new ArrayList<>(List.of(OPTIONS));
    Collections.shuffle(flags, random);
    int before = random.nextInt(3);
    int after = random.nextInt(3);
    List<String> all = new ArrayList<>(flags.subList(0, before));
    all.add(String.join(" ", options));
    all.addAll(flags.subList(before, before + after));
    parts.addAll(all);
    if (broken) {
      parts.add(ERRORS[random.nextInt(ERRORS.length)]);
    }
    StringBuilder sql = new StringBuilder();
    for (String part : parts) {
      String[] words = part.split(" (?=[^']*('[^']*'[^']*)*$)");
      for (String word : words) {
        if (sql.length() > 0) {
          sql.append(separator(random));
        }
        sql.append(random.nextBoolean() ? word : caseOf(word, random));
      }
    }
    return sql.toString();
  }

  /**
   * The password as a literal of some form, the secret inside it whole; in a broken statement
   * also as its author may have mistyped it.
   */
  private static String password(Random random, String secret, boolean broken) {
    return switch (random.nextInt(broken ? 10 : 7)) {
      case 7 -> "= '" + secret + "'";
      case 8 -> "\"" + secret + "\"";
      case 9 -> secret;
      case 0 -> "'" + secret + "'";
      case 1 -> "'it''s " + secret + "'";
      case 2 -> "E'\\'" + secret + "'";
      case 3 -> "U&'" + secret + "'";
      case 4 -> "N'" + secret + "'";
      case 5 -> "'--" + secret + "/*'";
      default -> "'" + secret.substring(0, 4) + "'\n'" + secret + "'";
    };
  }

  private static String separator(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> " " + COMMENTS[random.nextInt(COMMENTS.length)] + " ";
      case 1 -> "\n";
      case 2 -> "\t";
      case 3 -> "\r\n  ";
      case 4 -> COMMENTS[random.nextInt(COMMENTS.length)].endsWith("\n") ? " -- x'\n" : " ";
      default -> " ";
    };
  }

  /** Keywords in random case; quoted names and literals as they are. */
  private static String caseOf(String word, Random random) {
    if (word.contains("'") || word.contains("\"")) {
      return word;
    }
    StringBuilder out = new StringBuilder();
    for (char c : word.toCharArray()) {
      out.append(random.nextBoolean() ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return out.toString();
  }

  /** CREATE and ALTER USER keep their password last but one among their operands. */
  /** CREATE and ALTER USER end with the password, the CONNECTION LIMIT and the QUERY LIMIT. */
  private static final int PASSWORD_FROM_END = 3;

  private static String password(SqlNode statement) {
    List<SqlNode> operands = ((SqlCall) statement).getOperandList();
    return String.valueOf(operands.get(operands.size() - PASSWORD_FROM_END));
  }

  private static List<String> withoutPassword(SqlNode statement) {
    List<String> operands = new ArrayList<>();
    ((SqlCall) statement).getOperandList().forEach(o -> operands.add(String.valueOf(o)));
    operands.remove(operands.size() - PASSWORD_FROM_END);
    return operands;
  }

  private static SqlNode parse(String sql) throws SqlParseException {
    return SqlParser.create(sql, SqlParser.config()
        .withParserFactory(RewritingParserFactory.PARSE_ONLY)).parseStmt();
  }
}
