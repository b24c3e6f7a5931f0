package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

/** {@code DRAIN NODE}: starts the graceful drain of the node the session is connected to. */
public class SqlDrainNode extends SqlDdl {
  public static final SqlOperator OPERATOR =
      Operators.special("DRAIN NODE", SqlKind.OTHER_DDL, (pos, operands) ->
          new SqlDrainNode(pos));

  public SqlDrainNode(SqlParserPos pos) {
    super(OPERATOR, pos);
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of();
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DRAIN NODE");
  }
}
