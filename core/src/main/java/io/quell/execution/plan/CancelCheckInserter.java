package io.quell.execution.plan;

import org.apache.calcite.linq4j.tree.BlockStatement;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ForEachStatement;
import org.apache.calcite.linq4j.tree.ForStatement;
import org.apache.calcite.linq4j.tree.FunctionExpression;
import org.apache.calcite.linq4j.tree.MemberDeclaration;
import org.apache.calcite.linq4j.tree.MethodDeclaration;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Shuttle;
import org.apache.calcite.linq4j.tree.Statement;
import org.apache.calcite.linq4j.tree.WhileStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the Java code generated for a plan so that every loop body and every method body
 * starts with a cancel check. Operators either loop in generated code (windows, calcs) or run
 * a library loop (joins, sorts, aggregations, set operations in EnumerableDefaults) that calls
 * generated predicates, key selectors, comparators and accumulators once per row or per pair;
 * either way no unit of work goes unchecked, whether or not rows are flowing out.
 */
final class CancelCheckInserter extends Shuttle {
  /**
   * Enumerator methods without a check: current() reads the row once, after moveNext() has
   * checked; close() must release resources of a cancelled plan too, not fail again.
   */
  private static final Set<String> UNCHECKED = Set.of("current", "close");

  private final Statement check;

  /** {@code flag} is the statement's cancel flag, in a final local the code can see. */
  CancelCheckInserter(ParameterExpression flag) {
    this.check = Expressions.statement(
        Expressions.call(CancelCheck.class, "check", flag));
  }

  @Override public Statement visit(WhileStatement whileStatement, Expression condition,
      Statement body) {
    return Expressions.while_(condition, checked(body));
  }

  @Override public ForStatement visit(ForStatement forStatement,
      List<org.apache.calcite.linq4j.tree.DeclarationStatement> declarations,
      Expression condition, Expression post, Statement body) {
    return Expressions.for_(declarations, condition, post, checked(body));
  }

  @Override public ForEachStatement visit(ForEachStatement forEachStatement,
      ParameterExpression parameter, Expression iterable, Statement body) {
    return Expressions.forEach(parameter, iterable, checked(body));
  }

  @Override public MemberDeclaration visit(MethodDeclaration method, BlockStatement body) {
    if (UNCHECKED.contains(method.name) && method.parameters.isEmpty()) {
      return super.visit(method, body);
    }
    return Expressions.methodDecl(method.modifier, method.resultType, method.name,
        method.parameters, checked(body));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  @Override public Expression visit(FunctionExpression function, BlockStatement body) {
    if (body == null) {
      // A Java object passed as a function, not generated code.
      return function;
    }
    return new FunctionExpression((Class) function.getType(), checked(body),
        function.parameterList);
  }

  private BlockStatement checked(Statement body) {
    List<Statement> statements = new ArrayList<>();
    statements.add(check);
    if (body instanceof BlockStatement block) {
      statements.addAll(block.statements);
    } else {
      statements.add(body);
    }
    return Expressions.block(statements);
  }
}
