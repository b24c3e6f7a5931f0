package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code DROP VIEW [IF EXISTS] name}. */
public class SqlDropView extends SqlDrop {
  public static final SqlOperator OPERATOR =
      Operators.special("DROP VIEW", SqlKind.DROP_VIEW, (pos, operands) ->
          new SqlDropView(pos, Operators.flag(operands, 0),
              (SqlIdentifier) Operators.operand(operands, 1)));

  private final SqlIdentifier name;

  public SqlDropView(SqlParserPos pos, boolean ifExists, SqlIdentifier name) {
    super(OPERATOR, pos, ifExists);
    this.name = requireNonNull(name, "name");
  }

  public boolean ifExists() {
    return ifExists;
  }

  /** The view's name, with its schema if one was written. */
  public SqlIdentifier name() {
    return name;
  }

  /** The IF EXISTS flag first, so that a rebuilt node keeps it. */
  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(Operators.flag(ifExists), name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP VIEW");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
  }
}
