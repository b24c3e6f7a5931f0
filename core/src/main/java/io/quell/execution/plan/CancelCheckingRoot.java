package io.quell.execution.plan;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Statement;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The root of every physical plan Quell runs: generates its input's code with a cancel check
 * in every loop and generated method (see {@link CancelCheckInserter}), and reports the
 * statement executing when the plan is bound to run. Added after planning, so that no
 * rule sees it.
 */
public final class CancelCheckingRoot extends SingleRel implements EnumerableRel {
  private CancelCheckingRoot(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    super(cluster, traits, input);
  }

  /** {@code plan} under a cancel-checking root, if it is an enumerable plan. */
  public static RelNode over(RelNode plan) {
    return plan instanceof EnumerableRel
        ? new CancelCheckingRoot(plan.getCluster(), plan.getTraitSet(), plan) : plan;
  }

  @Override public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new CancelCheckingRoot(getCluster(), traitSet, sole(inputs));
  }

  @Override public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    ParameterExpression flag =
        Expressions.parameter(Modifier.FINAL, AtomicBoolean.class, "quellCancelFlag");
    List<Statement> statements = new ArrayList<>();
    // Binding the plan starts it (operators such as aggregations run eagerly right here);
    // the flag goes in a final local: one field load and one volatile read per check.
    statements.add(Expressions.declare(Modifier.FINAL, flag,
        Expressions.call(CancelCheck.class, "start", implementor.getRootExpression())));
    statements.addAll(input.block.accept(new CancelCheckInserter(flag)).statements);
    return new Result(Expressions.block(statements), input.physType, input.format);
  }
}
