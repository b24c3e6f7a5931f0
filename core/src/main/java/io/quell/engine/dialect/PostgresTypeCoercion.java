package io.quell.engine.dialect;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

import java.util.List;

import static org.apache.calcite.util.Static.RESOURCE;

/**
 * Calcite's implicit type coercion, plus PostgreSQL's date arithmetic ({@code date - 7}) and
 * two coercions that its catalog queries rely on.
 * A string literal compared with an array is an array literal whose elements take the array's
 * element type ({@code polroles = '{0}'}): Calcite's own lenient coercion reads the literal
 * with its SQL parser, which takes {@code {a,b}}'s elements for names, and leaves the elements
 * strings, a cast between array types its code generation cannot make. A string compared with
 * the elements of an array of another string type ({@code 'd' = ANY (stxkind)}) is compared as
 * that type, as {@code 'd' = s} is.
 */
public final class PostgresTypeCoercion extends TypeCoercionImpl {
  public PostgresTypeCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
    super(typeFactory, validator);
  }

  @Override protected Boolean coerceStringToArray(SqlCall call, SqlNode operand, int index,
      RelDataType fromType, RelDataType targetType) {
    RelDataType element = targetType.getComponentType();
    if (!validator.config().conformance().allowLenientCoercion()
        || !SqlTypeUtil.isString(fromType) || !SqlTypeUtil.isArray(targetType)
        || element == null || !(operand instanceof SqlCharStringLiteral literal)) {
      return false;
    }
    String text = literal.getValueAs(String.class);
    List<String> values = PgArrayText.parse(text);
    if (values == null || values.isEmpty()) {
      // Not an array's text, or an empty one, which Calcite has no literal for.
      throw validator.newValidationError(operand,
          RESOURCE.cannotCastValue("'" + text + "'", targetType.getFullTypeString()));
    }
    SqlNode array = PgArrayText.constructor(values,
        SqlTypeUtil.convertTypeToSpec(element).withNullable(true), operand.getParserPosition());
    call.setOperand(index, array);
    updateInferredType(array, validator.deriveType(validator.getEmptyScope(), array));
    return true;
  }

  /**
   * A date plus or minus an integer is that many days later or earlier, as in PostgreSQL
   * ({@code CURRENT_DATE - 7}): the integer becomes an interval of days, which Calcite adds to
   * a date.
   */
  @Override public boolean binaryArithmeticCoercion(SqlCallBinding binding) {
    SqlKind kind = binding.getOperator().getKind();
    if ((kind == SqlKind.PLUS || kind == SqlKind.MINUS) && binding.getOperandCount() == 2) {
      RelDataType left = binding.getOperandType(0);
      RelDataType right = binding.getOperandType(1);
      int days = isDate(left) && isWholeNumber(right) ? 1
          : kind == SqlKind.PLUS && isWholeNumber(left) && isDate(right) ? 0 : -1;
      if (days >= 0) {
        SqlCall call = binding.getCall();
        SqlNode operand = call.operand(days);
        SqlParserPos pos = operand.getParserPosition();
        // Times one day: Calcite's run-time cast of a number to an interval gives no days.
        SqlIntervalQualifier day = new SqlIntervalQualifier(TimeUnit.DAY, null, pos);
        SqlNode interval = SqlStdOperatorTable.MULTIPLY.createCall(pos, operand,
            SqlLiteral.createInterval(1, "1", day, pos));
        call.setOperand(days, interval);
        updateInferredType(interval, factory.createTypeWithNullability(
            factory.createSqlIntervalType(day), binding.getOperandType(days).isNullable()));
        return true;
      }
    }
    return super.binaryArithmeticCoercion(binding);
  }

  private static boolean isDate(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.DATE;
  }

  private static boolean isWholeNumber(RelDataType type) {
    return SqlTypeUtil.isExactNumeric(type) && type.getScale() <= 0;
  }

  @Override public boolean quantifyOperationCoercion(SqlCallBinding binding) {
    RelDataType collection = binding.getOperandType(1);
    RelDataType element = collection.getComponentType();
    RelDataType left = binding.getOperandType(0);
    if (element != null && SqlTypeUtil.isCharacter(left) && SqlTypeUtil.isCharacter(element)
        && !SqlTypeUtil.sameNamedType(left, element)) {
      // Calcite sees no need to cast between its character types, but compares a collection's
      // elements only with a value of the very same type name.
      RelDataType target = factory.createTypeWithNullability(element, left.isNullable());
      SqlCall call = binding.getCall();
      SqlNode operand = call.operand(0);
      SqlNode cast = SqlStdOperatorTable.CAST.createCall(operand.getParserPosition(), operand,
          SqlTypeUtil.convertTypeToSpec(target).withNullable(target.isNullable()));
      call.setOperand(0, cast);
      updateInferredType(cast, target);
      return true;
    }
    return super.quantifyOperationCoercion(binding);
  }
}
