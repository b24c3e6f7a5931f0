package io.quell.execution.plan;

import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.EnumerableDefaults;
import org.apache.calcite.linq4j.function.Function0;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.function.Function2;
import org.apache.calcite.linq4j.tree.DeclarationStatement;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.MethodCallExpression;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Shuttle;
import org.apache.calcite.linq4j.tree.Types;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the Java code generated for a plan so that every library operator that holds rows
 * accounts for them (see {@link MemoryCheck}): a sort, the build side of a hash join, the
 * inner side of a nested-loop, semi- or anti-join, DISTINCT and the set operations, a window's
 * partitions (its input, put row by row into a sorted multimap), and an aggregation's groups. Each call site gets a {@link MemoryCheck.Holding}
 * declared at the top of the plan, since an aggregation's key selector and accumulator
 * initializer, passed separately, must share one. A sort with a fetch holds only that many
 * rows and is left alone.
 */
final class MemoryAccountingInserter extends Shuttle {
  /** The operators whose every input row is held, and what a message calls each. */
  private static final Map<String, String> HOLDERS = Map.of(
      "orderBy", "the sort",
      "hashJoin", "the hash join",
      "nestedLoopJoin", "the nested-loop join",
      "semiJoin", "the semi-join",
      "antiJoin", "the anti-join",
      "distinct", "DISTINCT",
      "union", "UNION",
      "intersect", "INTERSECT",
      "except", "EXCEPT",
      "foreach", "the window");
  /**
   * A window puts its input into a sorted multimap and builds its output, the same rows with
   * the window's values, beside it before it returns a row: each input row is held twice.
   */
  private static final String WINDOW = "foreach";

  private static final Method ROWS =
      Types.lookupMethod(MemoryCheck.Holding.class, "rows", Enumerable.class);
  private static final Method OUTPUT =
      Types.lookupMethod(MemoryCheck.Holding.class, "output", Enumerable.class);
  private static final Method KEYS =
      Types.lookupMethod(MemoryCheck.Holding.class, "keys", Function1.class);
  private static final Method ACCUMULATORS =
      Types.lookupMethod(MemoryCheck.Holding.class, "accumulators", Function0.class);
  private static final Method ACCUMULATOR =
      Types.lookupMethod(MemoryCheck.Holding.class, "accumulator", Object.class);
  private static final Method ADDER =
      Types.lookupMethod(MemoryCheck.Holding.class, "adder", Function2.class);

  private final ParameterExpression account;
  private final List<DeclarationStatement> declarations = new ArrayList<>();

  /** {@code account} is the query's memory account, in a final local the code can see. */
  MemoryAccountingInserter(ParameterExpression account) {
    this.account = account;
  }

  /** The declarations of the holdings the rewritten code uses, to go first in the plan. */
  List<DeclarationStatement> declarations() {
    return declarations;
  }

  @Override public Expression visit(MethodCallExpression call, Expression target,
      List<Expression> arguments) {
    Method method = call.method;
    boolean library = Modifier.isStatic(method.getModifiers())
        ? method.getDeclaringClass() == EnumerableDefaults.class
        : target != null && method.getDeclaringClass().isAssignableFrom(Enumerable.class);
    if (!library) {
      return super.visit(call, target, arguments);
    }
    if (method.getName().equals("groupBy") && !Modifier.isStatic(method.getModifiers())) {
      return groupBy(call, target, arguments);
    }
    if (method.getName().equals("aggregate") && !Modifier.isStatic(method.getModifiers())
        && method.getParameterCount() == 3 && method.getParameterTypes()[1] == Function2.class) {
      // One group, no GROUP BY: aggregate(seed, adder, result selector).
      ParameterExpression holding = declare("the aggregation", 1);
      List<Expression> newArguments = new ArrayList<>(arguments);
      newArguments.set(0, Expressions.call(holding, ACCUMULATOR, arguments.get(0)));
      newArguments.set(1, Expressions.call(holding, ADDER, arguments.get(1)));
      return Expressions.call(target, method, newArguments);
    }
    String operator = HOLDERS.get(method.getName());
    if (operator == null || method.getName().equals("orderBy")
        && method.getParameterCount() > (Modifier.isStatic(method.getModifiers()) ? 3 : 2)) {
      return super.visit(call, target, arguments);
    }
    ParameterExpression holding = declare(operator, method.getName().equals(WINDOW) ? 2 : 1);
    Expression newTarget = target;
    List<Expression> newArguments = new ArrayList<>(arguments);
    Class<?>[] parameters = method.getParameterTypes();
    for (int i = 0; i < parameters.length && i < arguments.size(); i++) {
      // The outer (probe) side of a join streams; every other enumerable input is held.
      boolean outerOfJoin = i == 0 && Modifier.isStatic(method.getModifiers())
          && method.getName().endsWith("Join");
      if (!outerOfJoin && parameters[i].isAssignableFrom(Enumerable.class)
          && parameters[i] != Object.class) {
        newArguments.set(i, Expressions.call(holding, ROWS, arguments.get(i)));
      }
    }
    boolean joinInstance = !Modifier.isStatic(method.getModifiers())
        && method.getName().endsWith("Join");
    if (target != null && !joinInstance) {
      newTarget = Expressions.call(holding, ROWS, target);
    }
    Expression rewritten = Expressions.call(newTarget, method, newArguments);
    return Enumerable.class.isAssignableFrom(method.getReturnType())
        ? Expressions.convert_(Expressions.call(holding, OUTPUT, rewritten),
            method.getReturnType())
        : rewritten;
  }

  /** An aggregation: each new group reserves its key and accumulator. */
  private Expression groupBy(MethodCallExpression call, Expression target,
      List<Expression> arguments) {
    Class<?>[] parameters = call.method.getParameterTypes();
    if (parameters.length < 2 || parameters[0] != Function1.class
        || parameters[1] != Function0.class) {
      return super.visit(call, target, arguments);
    }
    ParameterExpression holding = declare("the aggregation", 1);
    List<Expression> newArguments = new ArrayList<>(arguments);
    newArguments.set(0, Expressions.call(holding, KEYS, arguments.get(0)));
    newArguments.set(1, Expressions.call(holding, ACCUMULATORS, arguments.get(1)));
    if (parameters.length > 2 && parameters[2] == Function2.class) {
      newArguments.set(2, Expressions.call(holding, ADDER, arguments.get(2)));
    }
    return Expressions.convert_(Expressions.call(holding, OUTPUT,
        Expressions.call(target, call.method, newArguments)), call.method.getReturnType());
  }

  private ParameterExpression declare(String operator, int copies) {
    ParameterExpression holding = Expressions.parameter(Modifier.FINAL,
        MemoryCheck.Holding.class, "quellHolding" + declarations.size());
    declarations.add(Expressions.declare(Modifier.FINAL, holding,
        Expressions.call(MemoryCheck.class, "holding", account, Expressions.constant(operator),
            Expressions.constant(copies))));
    return holding;
  }
}
