package io.quell.engine.dialect;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A cast to one of PostgreSQL's object identifier types, {@code x::regclass}: of a number,
 * the number (its OID), of text, the object that text names, which is what the catalog's
 * input function of the type's name ({@code regclass(text)}) finds; {@link
 * PostgresConvertlets} chooses by the operand's type. The operands are the value and the SQL
 * type the result has.
 */
final class ObjectIdCast extends SqlFunction {
  /** The object identifier types, by name. */
  private static final Map<String, ObjectIdCast> BY_NAME = Set.of("regclass", "regtype",
      "regnamespace", "regrole", "regproc", "regprocedure", "regoper", "regoperator").stream()
      .collect(Collectors.toUnmodifiableMap(Function.identity(), ObjectIdCast::new));

  private ObjectIdCast(String typeName) {
    super(typeName, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null,
        OperandTypes.ANY_ANY, SqlFunctionCategory.SYSTEM);
  }

  /** The cast to PostgreSQL type {@code name}, or null if it is no object identifier type. */
  static ObjectIdCast of(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
      SqlCall call) {
    RelDataType value = validator.deriveType(scope, call.operand(0));
    RelDataType type = ((SqlDataTypeSpec) call.operand(1)).deriveType(validator);
    RelDataType result = validator.getTypeFactory()
        .createTypeWithNullability(type, value.isNullable());
    validator.setValidatedNodeType(call, result);
    return result;
  }

  /** As PostgreSQL writes it, so that a view's text reads back the same. */
  @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    SqlWriter.Frame frame = writer.startFunCall("CAST");
    call.operand(0).unparse(writer, 0, 0);
    writer.sep("AS");
    writer.print(getName());
    writer.endFunCall(frame);
  }
}
