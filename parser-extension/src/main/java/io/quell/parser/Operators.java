package io.quell.parser;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Operators for Quell's nodes.
 *
 * <p>Calcite rebuilds a call through its operator: {@link SqlNode#clone}, every
 * {@link org.apache.calcite.sql.util.SqlShuttle} that changes an operand, and the parser itself
 * when it re-positions a parenthesized expression. A plain {@link SqlSpecialOperator} rebuilds
 * a {@link org.apache.calcite.sql.SqlBasicCall}, which has lost the node's class and cannot
 * unparse. So each node's operator gets a factory that rebuilds the node from exactly the
 * operands {@link SqlCall#getOperandList()} returns, flags included.
 */
final class Operators {
  private Operators() {
  }

  /** Rebuilds a node from its position and the operands its getOperandList returned. */
  @FunctionalInterface
  interface Factory {
    SqlCall create(SqlParserPos pos, List<@Nullable SqlNode> operands);
  }

  static SqlSpecialOperator special(String name, SqlKind kind, Factory factory) {
    return new SqlSpecialOperator(name, kind) {
      @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier,
          SqlParserPos pos, @Nullable SqlNode... operands) {
        return factory.create(pos, Arrays.asList(requireNonNull(operands, "operands")));
      }
    };
  }

  /** A boolean flag as an operand. */
  static SqlLiteral flag(boolean value) {
    return SqlLiteral.createBoolean(value, SqlParserPos.ZERO);
  }

  /** Reads back a flag written by {@link #flag(boolean)}. */
  static boolean flag(List<@Nullable SqlNode> operands, int i) {
    return ((SqlLiteral) operand(operands, i)).booleanValue();
  }

  /** Reads back a symbol literal's value. */
  static <E extends Enum<E>> E symbol(List<@Nullable SqlNode> operands, int i, Class<E> type) {
    return requireNonNull(((SqlLiteral) operand(operands, i)).getValueAs(type), "symbol");
  }

  static SqlNode operand(List<@Nullable SqlNode> operands, int i) {
    return requireNonNull(operands.get(i), () -> "operand " + i);
  }
}
