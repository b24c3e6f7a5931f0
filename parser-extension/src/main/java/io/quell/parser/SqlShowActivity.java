package io.quell.parser;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code SHOW [ALL] [CLUSTER | LOCAL] SESSIONS | QUERIES}.
 *
 * <p>It is a query: it may stand wherever a table or sub-query may, so its kind is
 * {@link SqlKind#EXPLICIT_TABLE}, which is what it amounts to ({@code TABLE} of a system view).
 * The engine replaces it with a SELECT from the {@code quell_internal} tables before
 * validation.
 */
public abstract class SqlShowActivity extends SqlCall {
  private final boolean all;
  private final ActivityScope scope;

  protected SqlShowActivity(SqlParserPos pos, boolean all, ActivityScope scope) {
    super(pos);
    this.all = all;
    this.scope = requireNonNull(scope, "scope");
  }

  /** Whether internal sessions and queries are included ({@code SHOW ALL ...}). */
  public boolean isAll() {
    return all;
  }

  public ActivityScope scope() {
    return scope;
  }

  /** The word after the scope: {@code SESSIONS} or {@code QUERIES}. */
  protected abstract String noun();

  @Override public SqlKind getKind() {
    return SqlKind.EXPLICIT_TABLE;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableList.of(Operators.flag(all), SqlLiteral.createSymbol(scope, pos));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    // Like SqlSelect: parenthesized unless it is the top of a query.
    final SqlWriter.Frame frame = writer.inQuery()
        ? null
        : writer.startList(SqlWriter.FrameTypeEnum.SUB_QUERY, "(", ")");
    writer.keyword("SHOW");
    if (all) {
      writer.keyword("ALL");
    }
    if (scope == ActivityScope.LOCAL) {
      writer.keyword("LOCAL");
    }
    writer.keyword(noun());
    if (frame != null) {
      writer.endList(frame);
    }
  }

  /** Builds a SHOW-activity node from its operands. */
  @FunctionalInterface
  interface Factory {
    SqlShowActivity create(SqlParserPos pos, boolean all, ActivityScope scope);
  }

  /** The operator of a SHOW-activity node, which rebuilds the node from its operands. */
  static SqlSpecialOperator operator(String name, Factory factory) {
    return Operators.special(name, SqlKind.EXPLICIT_TABLE, (pos, operands) ->
        factory.create(pos, Operators.flag(operands, 0),
            Operators.symbol(operands, 1, ActivityScope.class)));
  }
}
