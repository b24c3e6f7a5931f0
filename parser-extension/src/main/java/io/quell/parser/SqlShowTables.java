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

/** {@code SHOW TABLES [FROM schema]}: the tables and views of a schema, the current one if none. */
public class SqlShowTables extends SqlCall {
  public static final SqlOperator OPERATOR =
      Operators.special("SHOW TABLES", SqlKind.OTHER, (pos, operands) ->
          new SqlShowTables(pos, (SqlIdentifier) operands.get(0)));

  private final @Nullable SqlIdentifier schema;

  public SqlShowTables(SqlParserPos pos, @Nullable SqlIdentifier schema) {
    super(pos);
    this.schema = schema;
  }

  /** The schema after FROM, or null for the session's current schema. */
  public @Nullable SqlIdentifier schema() {
    return schema;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(schema);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW TABLES");
    if (schema != null) {
      writer.keyword("FROM");
      schema.unparse(writer, leftPrec, rightPrec);
    }
  }
}
