package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a result as the client receives them: name, PostgreSQL type
 * ({@link PgType#ofJdbc}) and format, text (0) or binary (1), and the DataRow of each row.
 */
final class ResultColumns {
  static final short TEXT = 0;
  static final short BINARY = 1;

  /** One column: its label, type and format. */
  record Column(String name, PgType type, short format) {
  }

  private final List<Column> columns;

  private ResultColumns(List<Column> columns) {
    this.columns = columns;
  }

  /**
   * The columns {@code metadata} describes, in {@code formats} as Bind gives them: none for
   * all text, one for all columns, or one per column (08P01 otherwise). Every type
   * {@link PgType#ofJdbc} gives has a binary format.
   */
  static ResultColumns of(ResultSetMetaData metadata, short[] formats) throws SQLException {
    int count = metadata == null ? 0 : metadata.getColumnCount();
    if (formats.length > 1 && formats.length != count) {
      throw new QuellException(SqlState.PROTOCOL_VIOLATION, "bind message has "
          + formats.length + " result formats but query has " + count + " columns");
    }
    List<Column> columns = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      short format = formats.length == 0 ? TEXT : formats[formats.length == 1 ? 0 : i - 1];
      if (format != TEXT && format != BINARY) {
        throw new QuellException(SqlState.PROTOCOL_VIOLATION,
            "unsupported format code: " + format);
      }
      int sqlType = metadata.getColumnType(i);
      PgType type = sqlType == Types.ARRAY ? PgType.ofJdbcArray(metadata.getColumnTypeName(i))
          : PgType.ofJdbc(sqlType);
      columns.add(new Column(metadata.getColumnLabel(i), type, format));
    }
    return new ResultColumns(List.copyOf(columns));
  }

  boolean isEmpty() {
    return columns.isEmpty();
  }

  void writeDescription(ByteBuf out) {
    BackendMessages.rowDescription(out, columns);
  }

  /**
   * The DataRow of the current row of {@code rows}; timestamps with a zone are shown in
   * {@code zone}.
   */
  void writeRow(ResultSet rows, ByteBuf out, ZoneId zone) throws SQLException {
    int at = BackendMessages.beginDataRow(out, columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      Object value = JdbcValues.read(rows, i + 1, column.type());
      if (value == null) {
        out.writeInt(-1);
        continue;
      }
      int lengthAt = out.writerIndex();
      out.writeInt(0);
      if (column.format() == BINARY) {
        PgBinary.write(value, column.type(), out);
      } else {
        if (value instanceof OffsetDateTime t) {
          value = t.atZoneSameInstant(zone).toOffsetDateTime();
        }
        out.writeCharSequence(PgText.format(value, column.type()), StandardCharsets.UTF_8);
      }
      out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
    BackendMessages.endDataRow(out, at);
  }
}
