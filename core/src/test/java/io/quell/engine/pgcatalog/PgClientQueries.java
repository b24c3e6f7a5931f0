package io.quell.engine.pgcatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of one file of {@code pg-clients/}: what a PostgreSQL client sent, with the
 * values of its parameters ({@code $1}...) where it had any.
 */
record PgClientQueries(String file, List<Query> queries) {
  private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+) = ('(?:[^']|'')*'|NULL)");

  /** One statement as the client sent it, and its parameters' values (null for NULL). */
  record Query(String sql, List<String> parameters) {
    /** The statement with OID {@code from}, which PostgreSQL returned, replaced by Quell's. */
    Query withOid(int from, int to) {
      return new Query(sql.replaceAll("\\b" + from + "\\b", String.valueOf(to)), parameters);
    }

    /** The text for a JDBC prepared statement: {@code $n} as {@code ?}, without the {@code ;}. */
    String jdbcSql() {
      return sql.replaceAll("\\$\\d+", "?").replaceAll(";\\s*$", "");
    }
  }

  static PgClientQueries load(String file) throws IOException {
    String text;
    try (InputStream in = PgClientQueries.class.getResourceAsStream("/pg-clients/" + file)) {
      if (in == null) {
        throw new IOException("no fixture pg-clients/" + file);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Query> queries = new ArrayList<>();
    String[] blocks = text.split("\n\n");
    // the first block is the file's header
    for (int i = 1; i < blocks.length; i++) {
      List<String> parameters = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      for (String line : blocks[i].strip().split("\n")) {
        if (line.startsWith("-- parameters:")) {
          Matcher m = PARAMETER.matcher(line);
          while (m.find()) {
            String value = m.group(2);
            parameters.add(value.equals("NULL") ? null
                : value.substring(1, value.length() - 1).replace("''", "'"));
          }
        } else {
          sql.append(line).append('\n');
        }
      }
      queries.add(new Query(sql.toString().strip(), parameters));
    }
    return new PgClientQueries(file, queries);
  }
}
