package io.quell.parser;

import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code GRANT role [, role ...] TO member [, member ...]}. */
public class SqlGrantRole extends SqlRoleMembership {
  public static final SqlOperator OPERATOR =
      operator("GRANT ROLE", SqlGrantRole::new);

  public SqlGrantRole(SqlParserPos pos, SqlNodeList roles, SqlNodeList members) {
    super(OPERATOR, pos, roles, members);
  }

  @Override public boolean isGrant() {
    return true;
  }
}
