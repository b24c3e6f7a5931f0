package io.quell.execution.plan;

import io.quell.execution.QueryCanceledException;

import org.apache.calcite.plan.Context;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.volcano.VolcanoPlanner;

/**
 * Calcite's cost-based planner, failing its statement when the cancel flag in its context is
 * up. Calcite's own treats a raised flag as "stop searching, use the best plan so far", and
 * when the search has not yet reached a complete plan it fails with a dump of its whole search
 * space: tens of milliseconds spent after the cancel on a large join, for a message nobody
 * reads. Here the next rule it would fire ends planning at once.
 */
final class CancellableVolcanoPlanner extends VolcanoPlanner {
  CancellableVolcanoPlanner(RelOptCostFactory costFactory, Context context) {
    super(costFactory, context);
  }

  @Override public void checkCancel() {
    if (cancelFlag.get()) {
      throw new QueryCanceledException();
    }
  }
}
