package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code DROP USER | ROLE [IF EXISTS] name [, name ...]}. */
public class SqlDropUser extends SqlDrop {
  public static final SqlOperator OPERATOR =
      Operators.special("DROP USER", SqlKind.OTHER_DDL, (pos, operands) ->
          new SqlDropUser(pos, Operators.flag(operands, 0), Operators.flag(operands, 1),
              (SqlNodeList) Operators.operand(operands, 2)));

  private final boolean role;
  private final SqlNodeList names;

  public SqlDropUser(SqlParserPos pos, boolean role, boolean ifExists, SqlNodeList names) {
    super(OPERATOR, pos, ifExists);
    this.role = role;
    this.names = requireNonNull(names, "names");
  }

  public boolean isRole() {
    return role;
  }

  public boolean ifExists() {
    return ifExists;
  }

  public SqlNodeList names() {
    return names;
  }

  /** Flags first (ROLE, IF EXISTS), so that a rebuilt node keeps them. */
  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(Operators.flag(role), Operators.flag(ifExists), names);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP");
    writer.keyword(role ? "ROLE" : "USER");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    RoleNames.unparse(writer, names);
  }
}
