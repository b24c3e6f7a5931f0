package io.quell.engine.dialect;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A function of the session's state ({@code current_setting}), implemented by a public static
 * Java method returning text, which reads the session when the statement runs: the planner
 * never computes it ahead of the run, since a plan is shared by every session whose statement
 * has the same text.
 */
final class SessionFunction extends SqlUserDefinedFunction {
  /** Types for what operands a client's parameters are, before any statement is validated. */
  private static final JavaTypeFactory TYPES = new JavaTypeFactoryImpl();

  private SessionFunction(String name, Method method, List<SqlTypeName> parameters) {
    super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ReturnTypes.VARCHAR_FORCE_NULLABLE, InferTypes.explicit(types(parameters).apply(TYPES)),
        OperandTypes.operandMetadata(
            parameters.stream().map(SqlTypeName::getFamily).toList(), types(parameters),
            i -> method.getParameters()[i].getName(), i -> false),
        ScalarFunctionImpl.create(method));
  }

  /** {@code name}, running {@code methodName} of {@code type}, of operands of {@code types}. */
  static SessionFunction of(String name, Class<?> type, String methodName,
      SqlTypeName... parameters) {
    Method method = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(methodName) && m.getParameterCount() == parameters.length)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(type.getName() + "." + methodName));
    return new SessionFunction(name, method, List.of(parameters));
  }

  private static Function<RelDataTypeFactory, List<RelDataType>> types(
      List<SqlTypeName> parameters) {
    return factory -> parameters.stream()
        .map(p -> factory.createTypeWithNullability(factory.createSqlType(p), true)).toList();
  }

  @Override public boolean isDeterministic() {
    return false;
  }

  @Override public boolean isDynamicFunction() {
    return true;
  }
}
