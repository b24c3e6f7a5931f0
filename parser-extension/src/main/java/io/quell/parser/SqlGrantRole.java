package io.quell.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code GRANT role [, role ...] TO member [, member ...]}. */
public class SqlGrantRole extends SqlRoleMembership {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("GRANT ROLE", SqlKind.OTHER_DDL);

  public SqlGrantRole(SqlParserPos pos, SqlNodeList roles, SqlNodeList members) {
    super(OPERATOR, pos, roles, members);
  }

  @Override public boolean isGrant() {
    return true;
  }
}
