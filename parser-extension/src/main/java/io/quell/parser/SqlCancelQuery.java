package io.quell.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CANCEL QUERY [IF EXISTS] ...}: cancels one running query; its session lives on. */
public class SqlCancelQuery extends SqlCancel {
  public static final SqlOperator OPERATOR =
      operator("CANCEL QUERY", SqlCancelQuery::new);

  public SqlCancelQuery(SqlParserPos pos, boolean ifExists, SqlNode source,
      @Nullable SqlNode message) {
    super(OPERATOR, pos, ifExists, source, message);
  }

  @Override public CancelTarget target() {
    return CancelTarget.QUERY;
  }

  @Override public boolean isMultiple() {
    return false;
  }
}
