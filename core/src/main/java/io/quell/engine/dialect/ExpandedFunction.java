package io.quell.engine.dialect;

import static org.apache.calcite.util.Static.RESOURCE;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * A function that is other SQL: the validator replaces each call by its expansion before it
 * validates anything ({@link SqlFunction#rewriteCall}), so what runs is the expansion, typed,
 * planned and cached as if it were written in the call's place.
 */
final class ExpandedFunction extends SqlFunction {
  /** The SQL a call stands for, made of the call's operands. */
  @FunctionalInterface
  interface Expansion {
    SqlNode expand(SqlValidator validator, SqlCall call);
  }

  private final int operands;
  private final Expansion expansion;

  ExpandedFunction(String name, int operands, Expansion expansion) {
    super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null,
        OperandTypes.variadic(SqlOperandCountRanges.of(operands)), SqlFunctionCategory.SYSTEM);
    this.operands = operands;
    this.expansion = expansion;
  }

  @Override public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
    if (call.operandCount() != operands) {
      throw validator.newValidationError(call,
          RESOURCE.invalidArgCount(getName(), operands));
    }
    return expansion.expand(validator, call);
  }

  /** Only a call that was never expanded gets here: its name is ambiguous. */
  @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
      SqlCall call) {
    throw validator.newValidationError(call, RESOURCE.validatorUnknownFunction(getName()));
  }
}
