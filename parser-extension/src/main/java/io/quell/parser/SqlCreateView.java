package io.quell.parser;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE [OR REPLACE] VIEW name [(column [, column ...])] AS query}, in the shape of
 * Calcite's server grammar. The query may be anything that stands where a query may, SHOW
 * SESSIONS and SHOW QUERIES included.
 */
public class SqlCreateView extends SqlCreate {
  public static final SqlOperator OPERATOR =
      Operators.special("CREATE VIEW", SqlKind.CREATE_VIEW, (pos, operands) ->
          new SqlCreateView(pos, Operators.flag(operands, 0),
              (SqlIdentifier) Operators.operand(operands, 1), (SqlNodeList) operands.get(2),
              Operators.operand(operands, 3)));

  private final SqlIdentifier name;
  private final @Nullable SqlNodeList columns;
  private final SqlNode query;

  public SqlCreateView(SqlParserPos pos, boolean replace, SqlIdentifier name,
      @Nullable SqlNodeList columns, SqlNode query) {
    super(OPERATOR, pos, replace, false);
    this.name = requireNonNull(name, "name");
    this.columns = columns;
    this.query = requireNonNull(query, "query");
  }

  /** The view's name, with its schema if one was written. */
  public SqlIdentifier name() {
    return name;
  }

  /** The column names written after the view's name, or null to keep the query's. */
  public @Nullable SqlNodeList columns() {
    return columns;
  }

  public SqlNode query() {
    return query;
  }

  /** The OR REPLACE flag first, so that a rebuilt node keeps it. */
  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(Operators.flag(getReplace()), name, columns, query);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword("VIEW");
    name.unparse(writer, leftPrec, rightPrec);
    if (columns != null) {
      final SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode column : columns) {
        writer.sep(",");
        column.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    writer.newlineAndIndent();
    query.unparse(writer, 0, 0);
  }
}
