package io.quell.engine.dialect;

import io.quell.engine.pgcatalog.PgFunctions;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * How Quell computes what Calcite's runtime does not: {@code CURRENT_SCHEMA} (also
 * {@code current_schema()}) is the default schema of the statement, a constant of its plan,
 * which the plan cache keeps apart per default schema; a cast to an object identifier type
 * ({@link ObjectIdCast}) is the catalog's lookup of a name, or a plain cast of a number; a
 * cast of text to a timestamp takes PostgreSQL's forms of the text.
 */
public final class PostgresConvertlets implements SqlRexConvertletTable {
  public static final PostgresConvertlets INSTANCE = new PostgresConvertlets();

  private PostgresConvertlets() {
  }

  @Override public @Nullable SqlRexConvertlet get(SqlCall call) {
    if (call.getOperator() instanceof ObjectIdCast) {
      return PostgresConvertlets::objectIdCast;
    }
    if (call.getOperator() == PostgresFunctions.PG_TYPEOF) {
      return PostgresConvertlets::typeOf;
    }
    if (PostgresRewriter.isCast(call)) {
      return PostgresConvertlets::cast;
    }
    if (call.getOperator() != SqlStdOperatorTable.CURRENT_SCHEMA) {
      return null;
    }
    return PostgresConvertlets::currentSchema;
  }

  /**
   * A cast of text to a timestamp reads the text as PostgreSQL does first
   * ({@link TimestampText}), as psycopg2 sends a datetime ({@code '2024-01-02T03:04:05'});
   * any other cast is Calcite's.
   */
  private static RexNode cast(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RelDataType from = cx.getValidator().getValidatedNodeType(call.operand(0));
    if (type.getSqlTypeName() != SqlTypeName.TIMESTAMP || !SqlTypeUtil.inCharFamily(from)) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call);
    }
    RexBuilder rex = cx.getRexBuilder();
    return rex.makeCast(type, rex.makeCall(TimestampText.FUNCTION,
        cx.convertExpression(call.operand(0))));
  }

  /** {@code pg_typeof(x)}: the name of {@code x}'s type, a constant of the plan. */
  private static RexNode typeOf(SqlRexContext cx, SqlCall call) {
    RelDataType operand = cx.getValidator().getValidatedNodeType(call.operand(0));
    return cx.getRexBuilder().makeLiteral(PgFunctions.typeOf(operand),
        cx.getValidator().getValidatedNodeType(call), true);
  }

  /** The statement's default schema; empty if it has none (a NULL would change its type). */
  private static RexNode currentSchema(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    String schema = cx.getValidator().getCatalogReader().getSchemaPaths().stream()
        .filter(path -> !path.isEmpty()).map(path -> path.get(path.size() - 1))
        .findFirst().orElse("");
    return cx.getRexBuilder().makeLiteral(schema, type, true);
  }

  /**
   * {@code x::regclass}: of text, the catalog's input function of the type's name called on
   * it (the OID of the table it names); of anything else, or with no such function, a cast.
   */
  private static RexNode objectIdCast(SqlRexContext cx, SqlCall call) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RexNode value = cx.convertExpression(call.operand(0));
    RexBuilder rex = cx.getRexBuilder();
    if (SqlTypeUtil.inCharFamily(value.getType())) {
      List<SqlOperator> functions = new ArrayList<>();
      cx.getValidator().getOperatorTable().lookupOperatorOverloads(
          new SqlIdentifier(call.getOperator().getName(), SqlParserPos.ZERO),
          SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION, functions,
          cx.getValidator().getCatalogReader().nameMatcher());
      for (SqlOperator function : functions) {
        if (function.getOperandCountRange().isValidCount(1)) {
          RexNode lookup = rex.makeCall(function, value);
          return lookup.getType().equals(type) ? lookup : rex.makeAbstractCast(type, lookup);
        }
      }
    }
    return rex.makeCast(type, value);
  }
}
