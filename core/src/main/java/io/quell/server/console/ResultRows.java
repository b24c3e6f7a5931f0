package io.quell.server.console;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * A statement's result as the console sends it: the columns as the result's metadata names and
 * types them, and each row as a map from column name to value, in column order. Nothing here
 * knows which columns a SHOW has, so columns that SHOW gains appear without a change here.
 * Timestamps (UTC in SQL) become ISO-8601 instants.
 */
record ResultRows(List<Column> columns, List<Map<String, Object>> rows) {
  /** A column's name and SQL type name. */
  record Column(String name, String type) {
  }

  static ResultRows read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    List<Column> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
    }
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= n; i++) {
        Object value;
        if (meta.getColumnType(i) == Types.TIMESTAMP) {
          Timestamp t = rs.getTimestamp(i, utc);
          value = t == null ? null : t.toInstant().toString();
        } else {
          value = rs.getObject(i);
        }
        row.put(columns.get(i - 1).name(), value);
      }
      rows.add(row);
    }
    return new ResultRows(columns, rows);
  }
}
