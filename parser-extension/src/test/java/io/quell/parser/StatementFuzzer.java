package io.quell.parser;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.io.Resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An endless, reproducible stream of SQL statements for fuzzing the parser and the server:
 * half are drawn from a small grammar of Quell's statements and the queries around them, half
 * are mutations (token deletions, swaps, insertions, splices, character noise, truncation) of
 * a seed corpus. The same seed always yields the same statements, so a failure can be replayed.
 */
public final class StatementFuzzer {
  /** The corpus file beside this class, one statement per line. */
  private static final String SEEDS = "fuzz-seeds.sql";
  private static final Pattern TOKEN = Pattern.compile(
      "'(?:[^']|'')*'?|\"[^\"]*\"?|[A-Za-z_][A-Za-z0-9_$]*|\\d+(?:\\.\\d+)?|\\s+|.");
  private static final List<String> KEYWORDS = List.of("SHOW", "ALL", "CLUSTER", "LOCAL",
      "SESSIONS", "SESSION", "QUERIES", "QUERY", "STATEMENTS", "CANCEL", "IF", "EXISTS", "NOT",
      "SELECT", "FROM", "WHERE", "WITH", "AS", "VALUES", "UNION", "IN", "AND", "OR", "NULL",
      "CREATE", "ALTER", "DROP", "USER", "ROLE", "GRANT", "REVOKE", "TO", "SET", "RESET",
      "PASSWORD", "VIEWACTIVITY", "NOVIEWACTIVITY", "VIEWACTIVITYREDACTED", "CANCELQUERY",
      "NOLOGIN", "LOGIN", "GROUP", "BY", "ORDER", "LIMIT", "(", ")", ",", ";", "?", "'", "\"",
      "*", "=", "[", "]", "--", "/*", "*/", "\\", "$1", ":", ".");
  private static final List<String> NOISE = List.of("\u0000", "\u00e9", "\u4e2d",
      "\ud83d\ude00", "\ud800", "\u202e", "\t", "\n", "\r\n", "\u00a0", "''", "'", "\"\"", "0x",
      "1e999", "-", "+", "%", "@", "#", "`", "{", "}", "<>", "||", "::");
  private static final List<String> TABLES = List.of("nation", "region", "(SHOW SESSIONS) AS s",
      "(SHOW QUERIES) AS q", "quell_internal.node_sessions", "quell_internal.cluster_queries",
      "(VALUES ('a'), ('b')) AS t(c)", "no_such_table");
  private static final List<String> COLUMNS = List.of("session_id", "query_id", "user_name",
      "n_name", "r_name", "c", "*", "1", "NULL", "'x'", "no_such_column");

  private final Random random;
  private final List<String> seeds;

  public StatementFuzzer(long seed) {
    this(seed, List.of());
  }

  /** A fuzzer whose corpus is the bundled seed file plus {@code extraSeeds}. */
  public StatementFuzzer(long seed, List<String> extraSeeds) {
    this.random = new Random(seed);
    this.seeds = ImmutableList.<String>builder().addAll(corpus()).addAll(extraSeeds).build();
    Preconditions.checkState(!seeds.isEmpty(), "empty seed corpus");
  }

  /** The bundled seed statements. */
  public static List<String> corpus() {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Resources.readLines(Resources.getResource(StatementFuzzer.class, SEEDS),
          StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("--")) {
          out.add(line);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next statement. */
  public String next() {
    return random.nextBoolean() ? generate() : mutate(pick(seeds));
  }

  // --- grammar ---------------------------------------------------------------------------

  private String generate() {
    switch (random.nextInt(8)) {
    case 0:
      return "SHOW " + maybe("ALL ") + maybe(pick(List.of("CLUSTER ", "LOCAL ")))
          + pick(List.of("SESSIONS", "QUERIES", "STATEMENTS"));
    case 1:
      return "CANCEL " + pick(List.of("SESSION ", "QUERY ")) + maybe("IF EXISTS ") + expression();
    case 2:
      return "CANCEL " + pick(List.of("SESSIONS ", "QUERIES ")) + maybe("IF EXISTS ") + query();
    case 3:
      return pick(List.of("CREATE USER ", "ALTER USER ", "DROP USER ", "CREATE ROLE ",
          "DROP ROLE ")) + maybe("IF EXISTS ") + identifier() + " " + maybe("WITH ")
          + maybe(pick(List.of("PASSWORD " + literal() + " ", "VIEWACTIVITY ", "NOLOGIN ",
              "CANCELQUERY ", "NOVIEWACTIVITYREDACTED ")));
    case 4:
      return pick(List.of("GRANT ", "REVOKE ")) + identifier()
          + pick(List.of(" TO ", " FROM ")) + identifier();
    case 5:
      return pick(List.of("SET ", "SHOW ", "RESET ")) + pick(List.of("application_name",
          "statement_timeout", "idle_in_session_timeout", "session_id", "ALL", identifier()))
          + maybe(pick(List.of(" = ", " TO ")) + literal());
    default:
      return query();
    }
  }

  private String query() {
    String q = "SELECT " + pick(COLUMNS) + " FROM " + pick(TABLES)
        + maybe(" WHERE " + pick(COLUMNS) + " " + pick(List.of("=", "<>", "IN", "LIKE", "IS"))
            + " " + expression())
        + maybe(" LIMIT " + random.nextInt(5));
    switch (random.nextInt(4)) {
    case 0:
      return "(" + q + ")";
    case 1:
      return "WITH x AS (" + pick(List.of("SHOW SESSIONS", "SHOW QUERIES", q))
          + ") SELECT " + pick(COLUMNS) + " FROM x";
    case 2:
      return "VALUES " + literal() + maybe(", " + literal());
    default:
      return q;
    }
  }

  private String expression() {
    switch (random.nextInt(5)) {
    case 0:
      return "(" + query() + ")";
    case 1:
      return "?";
    case 2:
      return "NULL";
    default:
      return literal();
    }
  }

  private String literal() {
    switch (random.nextInt(6)) {
    case 0:
      return "'" + hex(32) + "'";
    case 1:
      return "'" + hex(random.nextInt(40)) + "'";
    case 2:
      return Integer.toString(random.nextInt());
    case 3:
      return "'" + pick(NOISE).replace("'", "''") + "'";
    case 4:
      return "1." + random.nextInt(100) + "E" + (random.nextInt(800) - 400);
    default:
      return "'" + identifier() + "'";
    }
  }

  private String identifier() {
    return pick(List.of("root", "admin", "maxroach", "public", "x", "\"Quoted Name\"",
        "\"\"", "u" + random.nextInt(1000)));
  }

  private String hex(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  // --- mutation --------------------------------------------------------------------------

  private String mutate(String seed) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(seed);
    while (m.find()) {
      tokens.add(m.group());
    }
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds && !tokens.isEmpty(); r++) {
      int i = random.nextInt(tokens.size());
      switch (random.nextInt(7)) {
      case 0:
        tokens.remove(i);
        break;
      case 1:
        tokens.add(i, tokens.get(i));
        break;
      case 2:
        tokens.set(i, tokens.set(random.nextInt(tokens.size()), tokens.get(i)));
        break;
      case 3:
        tokens.add(i, " " + pick(KEYWORDS) + " ");
        break;
      case 4:
        tokens.add(i, pick(NOISE));
        break;
      case 5:
        tokens.subList(i, tokens.size()).clear();
        break;
      default:
        // splice: the head of this statement with the tail of another
        String other = pick(seeds);
        tokens.subList(i, tokens.size()).clear();
        tokens.add(other.substring(random.nextInt(other.length())));
        break;
      }
    }
    return String.join("", tokens);
  }

  private String maybe(String s) {
    return random.nextBoolean() ? s : "";
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
