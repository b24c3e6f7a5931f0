package io.quell.execution.plan;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.plan.RelOptCostImpl;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRules;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelNodes;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.MeasureRules;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.util.CancelFlag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calcite's standard optimization program ({@code Programs.standard()}: sub-query removal,
 * decorrelation, measures, field trimming, the cost-based planner, calc rules), made
 * cancellable. Calcite runs its heuristic stages in planners of their own with no context, so
 * they never see a cancel flag; here they share the statement's planner context, which holds
 * it, and the statement stops between stages too; the cost-based planner is the
 * statement's own {@link CancellableVolcanoPlanner}.
 */
final class CancellableProgram {
  private CancellableProgram() {
  }

  static Program standard() {
    return Programs.sequence(
        checked(subQuery()),
        checked(Programs.decorrelate()),
        checked(measures()),
        checked(Programs.trim()),
        checked(CancellableProgram::costBased),
        checked(hep(RelOptRules.CALC_RULES)));
  }

  /** Fails the statement if it has been cancelled, before and after {@code program}. */
  private static Program checked(Program program) {
    return (planner, rel, traits, materializations, lattices) -> {
      AtomicBoolean flag = cancelFlag(planner);
      CancelCheck.check(flag);
      RelNode result = program.run(planner, rel, traits, materializations, lattices);
      CancelCheck.check(flag);
      return result;
    };
  }

  private static AtomicBoolean cancelFlag(RelOptPlanner planner) {
    return planner.getContext().maybeUnwrap(CancelFlag.class)
        .map(flag -> flag.atomicBoolean).orElseGet(AtomicBoolean::new);
  }

  /** The statement's own planner, carrying it to the requested traits. */
  private static RelNode costBased(RelOptPlanner planner, RelNode rel,
      RelTraitSet traits, List<RelOptMaterialization> materializations,
      List<RelOptLattice> lattices) {
    materializations.forEach(planner::addMaterialization);
    lattices.forEach(planner::addLattice);
    planner.setRoot(rel);
    RelNode root = rel.getTraitSet().equals(traits) ? rel : planner.changeTraits(rel, traits);
    planner.setRoot(root);
    return planner.chooseDelegate().findBestExp();
  }

  private static Program subQuery() {
    Program correlates = hep(HepProgram.builder().addRuleCollection(ImmutableList.of(
        CoreRules.FILTER_SUB_QUERY_TO_CORRELATE, CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
        CoreRules.JOIN_SUB_QUERY_TO_CORRELATE, CoreRules.PROJECT_OVER_SUM_TO_SUM0_RULE))
        .build(), true);
    Program markCorrelates = hep(HepProgram.builder().addRuleCollection(ImmutableList.of(
        CoreRules.FILTER_SUB_QUERY_TO_MARK_CORRELATE,
        CoreRules.PROJECT_SUB_QUERY_TO_MARK_CORRELATE, CoreRules.JOIN_SUB_QUERY_TO_CORRELATE,
        CoreRules.PROJECT_OVER_SUM_TO_SUM0_RULE)).build(), true);
    return (planner, rel, traits, materializations, lattices) -> {
      boolean topDown = planner.getContext().maybeUnwrap(CalciteConnectionConfig.class)
          .orElse(CalciteConnectionConfig.DEFAULT).topDownGeneralDecorrelationEnabled();
      return (topDown ? markCorrelates : correlates)
          .run(planner, rel, traits, materializations, lattices);
    };
  }

  private static Program measures() {
    Program expand =
        Programs.sequence(hep(MeasureRules.rules()), subQuery(), Programs.decorrelate());
    return Programs.conditional(rel -> RelNodes.contains(rel,
        call -> call.getAggregation().kind == SqlKind.AGG_M2V,
        RexUtil.find(ImmutableSet.of(SqlKind.AGG_M2V, SqlKind.M2V))), expand);
  }

  /** Applies each of {@code rules} in turn, as {@code Programs.hep} does. */
  private static Program hep(Iterable<? extends RelOptRule> rules) {
    HepProgramBuilder builder = HepProgram.builder();
    rules.forEach(builder::addRuleInstance);
    return hep(builder.build(), true);
  }

  /** A heuristic stage in a planner that shares the statement's context (and cancel flag). */
  private static Program hep(HepProgram program, boolean noDag) {
    return (planner, rel, traits, materializations, lattices) -> {
      HepPlanner hep =
          new HepPlanner(program, planner.getContext(), noDag, null, RelOptCostImpl.FACTORY);
      List<RelMetadataProvider> providers = new ArrayList<>();
      providers.add(DefaultRelMetadataProvider.INSTANCE);
      hep.registerMetadataProviders(providers);
      materializations.forEach(hep::addMaterialization);
      lattices.forEach(hep::addLattice);
      rel.getCluster().setMetadataProvider(ChainedRelMetadataProvider.of(providers));
      hep.setRoot(rel);
      return hep.findBestExp();
    };
  }
}
