package io.quell.execution.plan;

import io.quell.memory.QueryMemory;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockStatement;
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
 * in every loop and generated method (see {@link CancelCheckInserter}) and with every
 * operator that holds rows accounting for them in the query's memory account (see
 * {@link MemoryAccountingInserter}), and reports the statement executing when the plan is
 * bound to run. Added after planning, so that no rule sees it.
 */
public final class GovernedRoot extends SingleRel implements EnumerableRel {
  private GovernedRoot(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    super(cluster, traits, input);
  }

  /** {@code plan} under a cancel-checking root, if it is an enumerable plan. */
  public static RelNode over(RelNode plan) {
    return plan instanceof EnumerableRel
        ? new GovernedRoot(plan.getCluster(), plan.getTraitSet(), plan) : plan;
  }

  @Override public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new GovernedRoot(getCluster(), traitSet, sole(inputs));
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
    ParameterExpression account =
        Expressions.parameter(Modifier.FINAL, QueryMemory.class, "quellMemory");
    statements.add(Expressions.declare(Modifier.FINAL, account,
        Expressions.call(MemoryCheck.class, "account")));
    MemoryAccountingInserter accounting = new MemoryAccountingInserter(account);
    BlockStatement body = (BlockStatement) input.block.accept(new CancelCheckInserter(flag))
        .accept(accounting);
    // Holdings are made per execution, before any operator runs.
    statements.addAll(accounting.declarations());
    statements.addAll(body.statements);
    return new Result(Expressions.block(statements), input.physType, input.format);
  }
}
