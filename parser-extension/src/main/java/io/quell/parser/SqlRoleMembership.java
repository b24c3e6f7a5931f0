package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code GRANT roles TO members} or {@code REVOKE roles FROM members}. */
public abstract class SqlRoleMembership extends SqlDdl {
  private final SqlNodeList roles;
  private final SqlNodeList members;

  protected SqlRoleMembership(SqlOperator operator, SqlParserPos pos, SqlNodeList roles,
      SqlNodeList members) {
    super(operator, pos);
    this.roles = requireNonNull(roles, "roles");
    this.members = requireNonNull(members, "members");
  }

  public SqlNodeList roles() {
    return roles;
  }

  public SqlNodeList members() {
    return members;
  }

  /** Whether members are added to (GRANT) or removed from (REVOKE) the roles. */
  public abstract boolean isGrant();

  /** Builds a GRANT or REVOKE node from its role and member lists. */
  @FunctionalInterface
  interface Factory {
    SqlRoleMembership create(SqlParserPos pos, SqlNodeList roles, SqlNodeList members);
  }

  static SqlSpecialOperator operator(String name, Factory factory) {
    return Operators.special(name, SqlKind.OTHER_DDL, (pos, operands) ->
        factory.create(pos, (SqlNodeList) Operators.operand(operands, 0),
            (SqlNodeList) Operators.operand(operands, 1)));
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(roles, members);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(isGrant() ? "GRANT" : "REVOKE");
    RoleNames.unparse(writer, roles);
    writer.keyword(isGrant() ? "TO" : "FROM");
    RoleNames.unparse(writer, members);
  }
}
