package io.quell.parser;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CANCEL SESSION | SESSIONS | QUERY | QUERIES [IF EXISTS] source}.
 *
 * <p>The singular forms take one id: a literal, a parameter or a scalar sub-query. The plural
 * forms take a query whose single character column lists the ids. {@code WITH MESSAGE} adds
 * the canceler's word to the victim, a string literal or a parameter.
 */
public abstract class SqlCancel extends SqlDdl {
  private final boolean ifExists;
  private final SqlNode source;
  private final @Nullable SqlNode message;

  protected SqlCancel(SqlOperator operator, SqlParserPos pos, boolean ifExists, SqlNode source,
      @Nullable SqlNode message) {
    super(operator, pos);
    this.ifExists = ifExists;
    this.source = requireNonNull(source, "source");
    this.message = message;
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

  /** The message: a character literal, a dynamic parameter, or null for none. */
  public @Nullable SqlNode message() {
    return message;
  }

  @Override public List<@Nullable SqlNode> getOperandList() {
    return Arrays.asList(Operators.flag(ifExists), source, message);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    if (source.isA(SqlKind.QUERY) && (!isMultiple() || message != null)) {
      // A scalar sub-query keeps its parentheses, or it would not parse back; so does a list
      // of ids before WITH MESSAGE, which the query's last clause could otherwise take (FROM
      // UNNEST(...) WITH ORDINALITY). SELECT and SHOW write their own whenever they are not
      // directly in a query; the other queries (ORDER BY, WITH, UNION, VALUES ...) get them here.
      final boolean writesOwnParentheses =
          source instanceof SqlSelect || source instanceof SqlShowActivity;
      final SqlWriter.Frame frame = writesOwnParentheses
          ? writer.startList(SqlWriter.FrameTypeEnum.SIMPLE)
          : writer.startList(SqlWriter.FrameTypeEnum.SUB_QUERY, "(", ")");
      source.unparse(writer, 0, 0);
      writer.endList(frame);
    } else {
      source.unparse(writer, 0, 0);
    }
    if (message != null) {
      writer.keyword("WITH MESSAGE");
      message.unparse(writer, 0, 0);
    }
  }

  /** Builds a cancel node from its operands; lets shuttles rewrite the source. */
  @FunctionalInterface
  interface Factory {
    SqlCancel create(SqlParserPos pos, boolean ifExists, SqlNode source,
        @Nullable SqlNode message);
  }

  static SqlSpecialOperator operator(String name, Factory factory) {
    return Operators.special(name, SqlKind.OTHER_DDL, (pos, operands) ->
        factory.create(pos, Operators.flag(operands, 0), Operators.operand(operands, 1),
            operands.get(2)));
  }
}
