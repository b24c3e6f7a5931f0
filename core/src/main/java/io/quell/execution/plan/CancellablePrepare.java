package io.quell.execution.plan;

import io.quell.execution.QueryThread;

import org.apache.calcite.DataContexts;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.interpreter.BindableConvention;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.config.CalciteSystemProperty;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.util.CancelFlag;

import java.lang.reflect.Type;

/**
 * Calcite's preparation of a statement, cancellable throughout: every planner that runs for
 * the statement carries its cancel flag (the one statement_timeout raises too), preparation
 * stops between its phases once the flag is up, and the plan it produces checks the flag in
 * every operator. Installed as the prepare factory of each session's Calcite connection; it
 * also gives {@code SESSION_USER} the session's user ({@link SessionUserConvertletTable}).
 */
public final class CancellablePrepare extends CalcitePrepareImpl {
  /**
   * As Calcite's own planner with its default rules, but a {@link CancellableVolcanoPlanner}
   * whose context holds the statement's flag. Runs on the statement's thread, whose flag
   * {@link QueryThread} holds.
   */
  @Override protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    // Calcite's CalcitePrepare.Context shadows the planner's Context here.
    org.apache.calcite.plan.Context statement = externalContext != null ? externalContext
        : Contexts.of(prepareContext.config());
    VolcanoPlanner planner = new CancellableVolcanoPlanner(costFactory,
        Contexts.chain(Contexts.of(new CancelFlag(QueryThread.cancelFlag())), statement));
    planner.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    if (CalciteSystemProperty.ENABLE_COLLATION_TRAIT.value()) {
      planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
    }
    planner.setTopDownOpt(prepareContext.config().topDownOpt());
    RelOptUtil.registerDefaultRules(planner, prepareContext.config().materializationsEnabled(),
        enableBindable);
    Hook.PLANNER.run(planner);
    return planner;
  }

  @Override protected SqlRexConvertletTable createConvertletTable() {
    return new SessionUserConvertletTable(super.createConvertletTable());
  }

  @Override protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context,
      Type elementType, CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    // As Calcite's own, with a preparing statement that checks the flag.
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    return new CancellablePreparingStmt(this, context, catalogReader, context.getTypeFactory(),
        context.getRootSchema(), prefer,
        createCluster(planner, new RexBuilder(context.getTypeFactory())),
        enableBindable ? BindableConvention.INSTANCE : EnumerableConvention.INSTANCE,
        createConvertletTable(), QueryThread.cancelFlag());
  }
}
