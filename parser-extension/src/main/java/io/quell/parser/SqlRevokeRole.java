package io.quell.parser;

import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code REVOKE role [, role ...] FROM member [, member ...]}. */
public class SqlRevokeRole extends SqlRoleMembership {
  public static final SqlOperator OPERATOR =
      operator("REVOKE ROLE", SqlRevokeRole::new);

  public SqlRevokeRole(SqlParserPos pos, SqlNodeList roles, SqlNodeList members) {
    super(OPERATOR, pos, roles, members);
  }

  @Override public boolean isGrant() {
    return false;
  }
}
