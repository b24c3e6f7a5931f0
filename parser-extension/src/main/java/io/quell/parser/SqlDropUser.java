package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code DROP USER | ROLE [IF EXISTS] name [, name ...]}. */
public class SqlDropUser extends SqlDrop {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP USER", SqlKind.OTHER_DDL);

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

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(names);
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
