package io.quell.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CANCEL QUERIES [IF EXISTS] ...}: cancels every running query whose id the source query returns. */
public class SqlCancelQueries extends SqlCancel {
  public static final SqlOperator OPERATOR =
      operator("CANCEL QUERIES", SqlCancelQueries::new);

  public SqlCancelQueries(SqlParserPos pos, boolean ifExists, SqlNode source,
      @Nullable SqlNode message) {
    super(OPERATOR, pos, ifExists, source, message);
  }

  @Override public CancelTarget target() {
    return CancelTarget.QUERY;
  }

  @Override public boolean isMultiple() {
    return true;
  }
}
