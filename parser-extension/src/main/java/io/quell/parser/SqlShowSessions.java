package io.quell.parser;

import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW [ALL] [CLUSTER | LOCAL] SESSIONS}: one row per session visible to the caller. */
public class SqlShowSessions extends SqlShowActivity {
  public static final SqlOperator OPERATOR = operator("SHOW SESSIONS", SqlShowSessions::new);

  public SqlShowSessions(SqlParserPos pos, boolean all, ActivityScope scope) {
    super(pos, all, scope);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override protected String noun() {
    return "SESSIONS";
  }
}
