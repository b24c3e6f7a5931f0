package io.quell.parser;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

/** {@code SHOW GRANTS [FOR name [, name ...]]}: role memberships. */
public class SqlShowGrants extends SqlCall {
  public static final SqlOperator OPERATOR =
      Operators.special("SHOW GRANTS", SqlKind.OTHER, (pos, operands) ->
          new SqlShowGrants(pos, (SqlNodeList) operands.get(0)));

  private final @Nullable SqlNodeList members;

  public SqlShowGrants(SqlParserPos pos, @Nullable SqlNodeList members) {
    super(pos);
    this.members = members;
  }

  /** The members named after FOR, or null for every membership the caller may see. */
  public @Nullable SqlNodeList members() {
    return members;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(members);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW GRANTS");
    if (members != null) {
      writer.keyword("FOR");
      RoleNames.unparse(writer, members);
    }
  }
}
