package io.quell.execution.plan;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.implicit.TypeCoercionFactory;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.Program;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * One statement's preparation that stops once its cancel flag is up: after parsing,
 * validation and conversion to relational algebra, inside and between the optimizer's stages
 * ({@link CancellableProgram}), and during code generation and compilation
 * ({@link OffThreadImplementation}). The plan it implements
 * has a {@link GovernedRoot}.
 */
final class CancellablePreparingStmt extends CalcitePrepareImpl.CalcitePreparingStmt {
  private final TypeCoercionFactory coercion;
  private final AtomicBoolean cancelFlag;

  CancellablePreparingStmt(CalcitePrepareImpl prepare, CalcitePrepare.Context context,
      Prepare.CatalogReader catalogReader, RelDataTypeFactory typeFactory,
      CalciteSchema schema, EnumerableRel.Prefer prefer, RelOptCluster cluster,
      Convention resultConvention, SqlRexConvertletTable convertletTable,
      TypeCoercionFactory coercion, AtomicBoolean cancelFlag) {
    super(prepare, context, catalogReader, typeFactory, schema, prefer, cluster,
        resultConvention, convertletTable);
    this.coercion = coercion;
    this.cancelFlag = cancelFlag;
  }

  /** Calcite's validator, with the engine's implicit casts. */
  @Override protected SqlValidator createSqlValidator(Prepare.CatalogReader catalogReader,
      UnaryOperator<SqlValidator.Config> configTransform) {
    return super.createSqlValidator(catalogReader,
        c -> configTransform.apply(c).withTypeCoercionFactory(coercion));
  }

  /** Parsed, validated, converted and decorrelated; next come trimming and optimizing. */
  @Override protected RelRoot trimUnusedFields(RelRoot root) {
    CancelCheck.check(cancelFlag);
    return super.trimUnusedFields(root);
  }

  /** Calcite's standard program, with the flag in every planner it runs. */
  @Override protected Program getProgram() {
    return CancellableProgram.standard();
  }

  /**
   * {@code query}, parsed as part of another statement (a CANCEL's source), validated and
   * converted as {@code prepareSql} converts a statement, in this statement's cluster, whose
   * planner carries the flag.
   */
  RelRoot convert(SqlNode query) {
    SqlValidator validator = createSqlValidator(catalogReader, UnaryOperator.identity());
    SqlToRelConverter converter = getSqlToRelConverter(validator, catalogReader,
        SqlToRelConverter.config()
            .withTrimUnusedFields(true)
            .withExpand(THREAD_EXPAND.get())
            .withInSubQueryThreshold(THREAD_INSUBQUERY_THRESHOLD.get()));
    return converter.convertQuery(query, true, true);
  }

  @Override protected PreparedResult implement(RelRoot root) {
    CancelCheck.check(cancelFlag);
    RelRoot checked = root.withRel(GovernedRoot.over(root.rel));
    PreparedResult result = OffThreadImplementation.run(() -> super.implement(checked));
    // A cancel that came as the compilation ended.
    CancelCheck.check(cancelFlag);
    return result;
  }
}
