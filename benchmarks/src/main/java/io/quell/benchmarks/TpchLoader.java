package io.quell.benchmarks;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Loads into PostgreSQL the rows Quell's sample schema generates: the same TPC-H generator at
 * the same scale, with the column names and types {@code io.quell.sample.TpchSchema} gives
 * them, streamed through COPY.
 */
final class TpchLoader {
  private TpchLoader() {
  }

  /** Creates and fills every TPC-H table; returns the number of rows loaded. */
  static long load(Connection pg, double scale) throws SQLException {
    long rows = 0;
    for (TpchTable<?> table : TpchTable.getTables()) {
      rows += load(pg, table, scale);
    }
    try (Statement s = pg.createStatement()) {
      s.execute("ANALYZE");
    }
    return rows;
  }

  private static <E extends TpchEntity> long load(Connection pg, TpchTable<E> table,
      double scale) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + table.getTableName() + " (");
    for (TpchColumn<E> column : table.getColumns()) {
      ddl.append(ddl.charAt(ddl.length() - 1) == '(' ? "" : ", ")
          .append(column.getColumnName()).append(' ').append(switch (column.getType().getBase()) {
            case IDENTIFIER -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DATE -> "DATE";
            case DOUBLE -> "DOUBLE PRECISION";
            case VARCHAR -> "VARCHAR";
          });
    }
    try (Statement s = pg.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table.getTableName());
      s.execute(ddl.append(')').toString());
    }
    CopyIn copy = pg.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table.getTableName() + " FROM STDIN");
    try {
      StringBuilder line = new StringBuilder();
      for (E row : table.createGenerator(scale, 1, 1)) {
        line.setLength(0);
        for (TpchColumn<E> column : table.getColumns()) {
          if (!line.isEmpty()) {
            line.append('\t');
          }
          append(line, column, row);
        }
        byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
      }
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static <E extends TpchEntity> void append(StringBuilder line, TpchColumn<E> column,
      E row) {
    switch (column.getType().getBase()) {
      case IDENTIFIER -> line.append(column.getIdentifier(row));
      case INTEGER -> line.append(column.getInteger(row));
      case DATE -> line.append(LocalDate.ofEpochDay(column.getDate(row)));
      case DOUBLE -> line.append(column.getDouble(row));
      case VARCHAR -> {
        // COPY's text format: backslash, tab and newline are escaped
        for (char c : column.getString(row).toCharArray()) {
          switch (c) {
            case '\\' -> line.append("\\\\");
            case '\t' -> line.append("\\t");
            case '\n' -> line.append("\\n");
            default -> line.append(c);
          }
        }
      }
    }
  }
}
