package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

/** {@code SHOW USERS} or {@code SHOW ROLES}: the roles in the user catalog with their options. */
public class SqlShowUsers extends SqlCall {
  public static final SqlOperator OPERATOR =
      Operators.special("SHOW USERS", SqlKind.OTHER, (pos, operands) ->
          new SqlShowUsers(pos, Operators.flag(operands, 0)));

  private final boolean roles;

  public SqlShowUsers(SqlParserPos pos, boolean roles) {
    super(pos);
    this.roles = roles;
  }

  /** Whether the statement said ROLES rather than USERS. */
  public boolean isRoles() {
    return roles;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(Operators.flag(roles));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    writer.keyword(roles ? "ROLES" : "USERS");
  }
}
