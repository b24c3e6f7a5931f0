package io.quell.parser;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

/** {@code SHOW name} for one session variable, or {@code SHOW ALL} for every one. */
public class SqlShowVariable extends SqlCall {
  public static final SqlOperator OPERATOR =
      Operators.special("SHOW VARIABLE", SqlKind.OTHER, (pos, operands) ->
          new SqlShowVariable(pos, (SqlIdentifier) operands.get(0)));

  private final @Nullable SqlIdentifier name;

  public SqlShowVariable(SqlParserPos pos, @Nullable SqlIdentifier name) {
    super(pos);
    this.name = name;
  }

  /** The variable, or null for {@code SHOW ALL}. */
  public @Nullable SqlIdentifier name() {
    return name;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    if (name == null) {
      writer.keyword("ALL");
    } else {
      name.unparse(writer, leftPrec, rightPrec);
    }
  }
}
