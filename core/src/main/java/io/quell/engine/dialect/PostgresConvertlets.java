package io.quell.engine.dialect;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How Quell computes what Calcite's runtime does not: {@code CURRENT_SCHEMA} (also
 * {@code current_schema()}) is the default schema of the statement, a constant of its plan,
 * which the plan cache keeps apart per default schema.
 */
public final class PostgresConvertlets implements SqlRexConvertletTable {
  public static final PostgresConvertlets INSTANCE = new PostgresConvertlets();

  private PostgresConvertlets() {
  }

  @Override public @Nullable SqlRexConvertlet get(SqlCall call) {
    if (call.getOperator() != SqlStdOperatorTable.CURRENT_SCHEMA) {
      return null;
    }
    return (cx, c) -> {
      RelDataType type = cx.getValidator().getValidatedNodeType(c);
      String schema = cx.getValidator().getCatalogReader().getSchemaPaths().stream()
          .filter(path -> !path.isEmpty()).map(path -> path.get(path.size() - 1)).findFirst().orElse(null);
      return schema == null ? cx.getRexBuilder().makeNullLiteral(type)
          : cx.getRexBuilder().makeLiteral(schema, type, true);
    };
  }
}
