package io.quell.execution.plan;

import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.BlockStatement;
import org.apache.calcite.linq4j.tree.DeclarationStatement;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ForEachStatement;
import org.apache.calcite.linq4j.tree.ForStatement;
import org.apache.calcite.linq4j.tree.FunctionExpression;
import org.apache.calcite.linq4j.tree.MemberDeclaration;
import org.apache.calcite.linq4j.tree.MethodCallExpression;
import org.apache.calcite.linq4j.tree.MethodDeclaration;
import org.apache.calcite.linq4j.tree.NewExpression;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Shuttle;
import org.apache.calcite.linq4j.tree.Statement;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.linq4j.tree.WhileStatement;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the Java code generated for a plan so that every loop body and every method body
 * starts with a cancel check. Operators either loop in generated code (windows, calcs) or run
 * a library loop (joins, sorts, aggregations, set operations in EnumerableDefaults) that calls
 * generated predicates, key selectors, comparators and accumulators once per row or per pair.
 * Library loops that call no generated code (an OFFSET skipping the rows a sort produced, a
 * DISTINCT over a set operation's output) pull from an input that the rewrite wraps in
 * {@link CancelCheck#rows}, unless generated code produces it. Either way no unit of work goes
 * unchecked, whether or not rows are flowing out.
 */
final class CancelCheckInserter extends Shuttle {
  /**
   * Enumerator methods without a check: current() reads the row once, after moveNext() has
   * checked; close() must release resources of a cancelled plan too, not fail again.
   */
  private static final Set<String> UNCHECKED = Set.of("current", "close");

  /** How generated code itself reads an input, checking in the loop that does. */
  private static final Set<String> READS = Set.of("enumerator", "iterator");

  private final ParameterExpression flag;
  private final Statement check;
  /** Variables that hold generated enumerables, whose enumerators check already. */
  private final Set<ParameterExpression> generated = new HashSet<>();

  /** {@code flag} is the statement's cancel flag, in a final local the code can see. */
  CancelCheckInserter(ParameterExpression flag) {
    this.flag = flag;
    this.check = Expressions.statement(
        Expressions.call(CancelCheck.class, "check", flag));
  }

  @Override public DeclarationStatement visit(DeclarationStatement declaration,
      Expression initializer) {
    if (initializer instanceof NewExpression created && created.memberDeclarations != null) {
      generated.add(declaration.parameter);
    }
    return super.visit(declaration, initializer);
  }

  @Override public Expression visit(MethodCallExpression call, Expression target,
      List<Expression> arguments) {
    Method method = call.method;
    if (READS.contains(method.getName())) {
      return super.visit(call, target, arguments);
    }
    Expression checkedTarget = target != null
        && method.getDeclaringClass().isAssignableFrom(Enumerable.class)
        ? checkedRows(target) : target;
    List<Expression> checkedArguments = new ArrayList<>(arguments);
    Class<?>[] parameters = method.getParameterTypes();
    for (int i = 0; i < parameters.length && i < arguments.size(); i++) {
      if (parameters[i] != Object.class && parameters[i].isAssignableFrom(Enumerable.class)) {
        checkedArguments.set(i, checkedRows(arguments.get(i)));
      }
    }
    return super.visit(call, checkedTarget, checkedArguments);
  }

  /** {@code rows}, checking the flag before each row, if it is a library's enumerable. */
  private Expression checkedRows(Expression rows) {
    boolean library = Enumerable.class.isAssignableFrom(Types.toClass(rows.getType()))
        && !generated.contains(rows)
        && !(rows instanceof NewExpression created && created.memberDeclarations != null);
    return library ? Expressions.call(CancelCheck.class, "rows", flag, rows) : rows;
  }

  @Override public Statement visit(WhileStatement whileStatement, Expression condition,
      Statement body) {
    return Expressions.while_(condition, checked(body));
  }

  @Override public ForStatement visit(ForStatement forStatement,
      List<DeclarationStatement> declarations,
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
