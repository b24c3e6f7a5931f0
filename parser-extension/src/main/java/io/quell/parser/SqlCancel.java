package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CANCEL SESSION | SESSIONS | QUERY | QUERIES [IF EXISTS] source}.
 *
 * <p>The singular forms take one id: a literal, a parameter or a scalar sub-query. The plural
 * forms take a query whose single character column lists the ids.
 */
public abstract class SqlCancel extends SqlDdl {
  private final boolean ifExists;
  private final SqlNode source;

  protected SqlCancel(SqlOperator operator, SqlParserPos pos, boolean ifExists, SqlNode source) {
    super(operator, pos);
    this.ifExists = ifExists;
    this.source = requireNonNull(source, "source");
  }

  public abstract CancelTarget target();

  /** Whether the source is a query listing many ids (SESSIONS, QUERIES). */
  public abstract boolean isMultiple();

  public boolean ifExists() {
    return ifExists;
  }

  public SqlNode source() {
    return source;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(SqlLiteral.createBoolean(ifExists, SqlParserPos.ZERO), source);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    if (!isMultiple() && source.isA(SqlKind.QUERY)) {
      // A scalar sub-query keeps its parentheses, or it would read as a query source.
      final SqlWriter.Frame frame =
          writer.startList(SqlWriter.FrameTypeEnum.SUB_QUERY, "(", ")");
      source.unparse(writer, 0, 0);
      writer.endList(frame);
    } else {
      source.unparse(writer, 0, 0);
    }
  }

  /** Builds a cancel node from its operands; lets shuttles rewrite the source. */
  @FunctionalInterface
  interface Factory {
    SqlCancel create(SqlParserPos pos, boolean ifExists, SqlNode source);
  }

  static SqlSpecialOperator operator(String name, Factory factory) {
    return new SqlSpecialOperator(name, SqlKind.OTHER_DDL) {
      @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
          SqlParserPos pos, @Nullable SqlNode... operands) {
        requireNonNull(operands, "operands");
        final SqlLiteral ifExists = (SqlLiteral) requireNonNull(operands[0], "ifExists");
        return factory.create(pos, ifExists.booleanValue(),
            requireNonNull(operands[1], "source"));
      }
    };
  }
}
