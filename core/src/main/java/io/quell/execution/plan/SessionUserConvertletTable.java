package io.quell.execution.plan;

import io.quell.execution.QueryThread;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

import java.util.Set;

/**
 * Calcite's convertlets, except that {@code USER}, {@code CURRENT_USER} and
 * {@code SESSION_USER} are the authenticated user of the session that prepares the statement:
 * Calcite's own answer is {@code sa} for everyone (its DataContext hard-codes it). The user is a
 * constant of the plan, as a session's user never changes and a session's statements, prepared
 * ones too, are its own; the plan cache keeps such plans per user ({@link PlanCache}).
 */
final class SessionUserConvertletTable implements SqlRexConvertletTable {
  private static final Set<SqlOperator> SESSION_USER = Set.of(SqlStdOperatorTable.USER,
      SqlStdOperatorTable.CURRENT_USER, SqlStdOperatorTable.SESSION_USER);

  private final SqlRexConvertletTable calcite;

  SessionUserConvertletTable(SqlRexConvertletTable calcite) {
    this.calcite = calcite;
  }

  @Override public SqlRexConvertlet get(SqlCall call) {
    String user = QueryThread.sessionUser();
    if (user == null || !SESSION_USER.contains(call.getOperator())) {
      return calcite.get(call);
    }
    return (cx, c) -> cx.getRexBuilder().makeLiteral(user,
        cx.getValidator().getValidatedNodeType(c), true);
  }
}
