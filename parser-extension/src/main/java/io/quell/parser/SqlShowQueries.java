package io.quell.parser;

import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SHOW [ALL] [CLUSTER | LOCAL] QUERIES} (or its synonym {@code STATEMENTS}): one row per
 * running query visible to the caller.
 */
public class SqlShowQueries extends SqlShowActivity {
  public static final SqlOperator OPERATOR = operator("SHOW QUERIES", SqlShowQueries::new);

  public SqlShowQueries(SqlParserPos pos, boolean all, ActivityScope scope) {
    super(pos, all, scope);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override protected String noun() {
    return "QUERIES";
  }
}
