package io.quell.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CANCEL SESSIONS [IF EXISTS] ...}: cancels every session whose id the source query returns. */
public class SqlCancelSessions extends SqlCancel {
  public static final SqlOperator OPERATOR =
      operator("CANCEL SESSIONS", SqlCancelSessions::new);

  public SqlCancelSessions(SqlParserPos pos, boolean ifExists, SqlNode source,
      @Nullable SqlNode message) {
    super(OPERATOR, pos, ifExists, source, message);
  }

  @Override public CancelTarget target() {
    return CancelTarget.SESSION;
  }

  @Override public boolean isMultiple() {
    return true;
  }
}
