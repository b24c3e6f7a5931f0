package io.quell.server.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a listing as SQL: the rows of a SHOW or a system table that pass the filters,
 * sorted, at an offset, and how many passed in all. Filtering, sorting and paging run in the
 * engine, so a page of 10,000 sessions sends the browser one page. Filter values are bound as
 * parameters; the sort column is a checked name, quoted; limit and offset are checked integers.
 */
final class Listing {
  /** A page of rows and the number of rows on all pages. */
  record Page(ResultRows rows, long total) {
  }

  private final String from;
  private final List<String> predicates = new ArrayList<>();
  private final List<Object> parameters = new ArrayList<>();
  private String sortColumn;
  private String orderBy = "";
  private int limit = Params.MAX_LIMIT;
  private int offset;

  /** {@code from}: a FROM item, such as {@code (SHOW SESSIONS)} or a table name. */
  Listing(String from) {
    this.from = from;
  }

  /** Keeps the rows for which {@code predicate} holds, its {@code ?} bound to {@code values}. */
  Listing where(String predicate, Object... values) {
    predicates.add(predicate);
    parameters.addAll(List.of(values));
    return this;
  }

  /** Sorts by {@code column}, then by {@code tieBreaker} so that pages do not overlap. */
  Listing sort(String column, boolean descending, String tieBreaker) {
    sortColumn = column;
    orderBy = " ORDER BY " + quote(column) + (descending ? " DESC" : " ASC") + " NULLS LAST, "
        + quote(tieBreaker);
    return this;
  }

  Listing page(int limit, int offset) {
    this.limit = limit;
    this.offset = offset;
    return this;
  }

  Page run(Connection connection) throws SQLException {
    if (sortColumn != null) {
      checkSortable(connection);
    }
    String filtered = " FROM " + from + " AS t"
        + (predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates));
    ResultRows rows = query(connection, "SELECT *" + filtered + orderBy + " LIMIT " + limit
        + " OFFSET " + offset);
    // A first page that is not full holds every row; otherwise the rows that pass are counted.
    long total = offset == 0 && rows.rows().size() < limit ? rows.rows().size()
        : ((Number) query(connection, "SELECT COUNT(*) AS n" + filtered).rows().get(0)
            .get("n")).longValue();
    return new Page(rows, total);
  }

  /** Refuses a sort column the source has not, naming those it has, before anything runs. */
  private void checkSortable(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("SELECT * FROM " + from + " AS t")) {
      ResultSetMetaData meta = s.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        names.add(meta.getColumnLabel(i));
      }
    }
    if (!names.contains(sortColumn)) {
      throw ConsoleException.badRequest("there is no column '" + sortColumn + "' to sort by; "
          + "the columns are " + String.join(", ", names));
    }
  }

  private ResultRows query(Connection connection, String sql) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        s.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        return ResultRows.read(rs);
      }
    }
  }

  private static String quote(String column) {
    return '"' + column + '"';
  }
}
