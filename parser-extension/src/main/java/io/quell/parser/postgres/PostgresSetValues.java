package io.quell.parser.postgres;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The value of a PostgreSQL {@code SET} that lists several, {@code SET search_path = "$user",
 * public}: one text, the values apart by {@code ", "} and a quoted name still quoted, which is
 * how PostgreSQL keeps and shows it.
 */
public final class PostgresSetValues {
  private PostgresSetValues() {
  }

  /** The one value of {@code values}, or their text as a character literal. */
  public static SqlNode of(List<SqlNode> values, SqlParserPos pos) {
    if (values.size() == 1) {
      return values.get(0);
    }
    return SqlLiteral.createCharString(
        values.stream().map(PostgresSetValues::text).collect(Collectors.joining(", ")), pos);
  }

  private static String text(SqlNode value) {
    if (value instanceof SqlIdentifier id) {
      return id.getParserPosition().isQuoted() ? '"' + id.getSimple().replace("\"", "\"\"") + '"'
          : id.getSimple();
    }
    return ((SqlLiteral) value).toValue();
  }
}
