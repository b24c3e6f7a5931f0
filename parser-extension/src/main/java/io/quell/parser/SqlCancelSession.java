package io.quell.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CANCEL SESSION [IF EXISTS] ...}: cancels one session: its running query, if any, stops and the session ends. */
public class SqlCancelSession extends SqlCancel {
  public static final SqlOperator OPERATOR =
      operator("CANCEL SESSION", SqlCancelSession::new);

  public SqlCancelSession(SqlParserPos pos, boolean ifExists, SqlNode source,
      @Nullable SqlNode message) {
    super(OPERATOR, pos, ifExists, source, message);
  }

  @Override public CancelTarget target() {
    return CancelTarget.SESSION;
  }

  @Override public boolean isMultiple() {
    return false;
  }
}
