package io.quell.execution;

import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;
import io.quell.cluster.ClusterActivity;
import io.quell.error.QuellException;
import io.quell.error.SqlState;
import io.quell.parser.CancelTarget;
import io.quell.parser.SqlCancel;
import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Executes CANCEL SESSION(S) and CANCEL QUERY(IES) for a caller. The statement is all or
 * nothing: every id is parsed, found and checked against the caller's privileges before the
 * first target is cancelled. The source expression or query runs through the normal validator
 * and planner on the caller's own connection, so it sees what the caller may see. On a cluster
 * member, an id of another node is looked up on that node and checked here like a local one;
 * only when every id has passed are the cancels sent, as the node principal, to their owners.
 */
public final class CancelExecutor {
  private final SessionRegistry registry;
  private final UserCatalog catalog;
  private final Canceller canceller;
  private final ClusterActivity cluster;

  /** {@code cluster} is null on a single node. */
  public CancelExecutor(SessionRegistry registry, UserCatalog catalog, Canceller canceller,
      ClusterActivity cluster) {
    this.registry = registry;
    this.catalog = catalog;
    this.canceller = canceller;
    this.cluster = cluster;
  }

  /** Runs {@code cancel} as {@code caller} in {@code session}; returns how many were cancelled. */
  public long execute(Principal caller, Session session, SqlCancel cancel, String statementText) {
    String noun = cancel.target().noun();
    List<Runnable> actions = new ArrayList<>();
    for (String text : ids(session.connection(), cancel)) {
      ActivityId id = ActivityId.parse(text, noun);
      if (id.nodeId() != registry.nodeId() && cluster != null) {
        String owner = cluster.owner(cancel.target(), id).orElse(null);
        if (owner == null) {
          notFound(cancel, noun, id);
          continue;
        }
        check(caller, owner);
        actions.add(() -> {
          if (cluster.cancel(cancel.target(), id)) {
            canceller.auditRemote(caller.name(), ActivityKind.valueOf(cancel.target().name()),
                id.toString(), owner, statementText);
          }
        });
      } else if (cancel.target() == CancelTarget.SESSION) {
        Session target = id.nodeId() == registry.nodeId() ? registry.session(id) : null;
        if (target == null) {
          notFound(cancel, noun, id);
          continue;
        }
        check(caller, target.user());
        actions.add(() -> canceller.cancelSession(target, caller.name(), CancelCause.STATEMENT,
            statementText));
      } else {
        RunningQuery target = id.nodeId() == registry.nodeId() ? registry.query(id) : null;
        if (target == null) {
          notFound(cancel, noun, id);
          continue;
        }
        check(caller, target.session().user());
        actions.add(() -> canceller.cancelQuery(target, caller.name(), CancelCause.STATEMENT,
            statementText));
      }
    }
    actions.forEach(Runnable::run);
    // A statement that cancelled itself fails like any cancelled statement, as PostgreSQL's
    // pg_cancel_backend(pg_backend_pid()) does; what it cancelled besides stays cancelled. One
    // that ended its own session reports its count, as the seed page's CANCEL SESSIONS of
    // root's sessions does, and the session's next call fails 57P01.
    if (QueryThread.isCanceled() && session.endCause() == null) {
      throw new QueryCanceledException();
    }
    return actions.size();
  }

  private void check(Principal caller, String targetUser) {
    boolean targetIsAdmin = !caller.name().equals(targetUser)
        && catalog.principals().principal(targetUser).map(Principal::isAdmin).orElse(false);
    ActivityPolicy.checkCancel(caller, targetUser, targetIsAdmin);
  }

  private static void notFound(SqlCancel cancel, String noun, ActivityId id) {
    if (!cancel.ifExists()) {
      throw new QuellException(SqlState.UNDEFINED_OBJECT, noun + " ID " + id + " not found");
    }
  }

  /** The distinct non-null ids the statement names, in order. */
  private static Set<String> ids(Connection connection, SqlCancel cancel) {
    SqlNode source = cancel.source();
    Set<String> ids = new LinkedHashSet<>();
    if (source instanceof SqlLiteral literal) {
      if (literal.getTypeName() != SqlTypeName.NULL) {
        ids.add(literal.toValue());
      }
      return ids;
    }
    boolean query = source.getKind().belongsTo(SqlKind.QUERY);
    String sql = source.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    try (PreparedStatement statement =
             connection.prepareStatement(query ? sql : "VALUES (" + sql + ")")) {
      ResultSetMetaData metaData = statement.getMetaData();
      checkShape(cancel, metaData);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          if (!cancel.isMultiple() && rows.getRow() > 1) {
            throw new QuellException(SqlState.CARDINALITY_VIOLATION,
                "more than one row returned by a subquery used as an expression");
          }
          String id = rows.getString(1);
          if (id != null) {
            ids.add(id);
          }
        }
      }
    } catch (SQLException e) {
      throw QuellException.unwrap(e);
    }
    return ids;
  }

  /** CANCEL SESSIONS/QUERIES needs one character column, checked before anything runs. */
  private static void checkShape(SqlCancel cancel, ResultSetMetaData metaData)
      throws SQLException {
    String statement = cancel.getOperator().getName();
    if (metaData.getColumnCount() != 1) {
      throw new QuellException(SqlState.SYNTAX_ERROR, statement + ": the source returns "
          + metaData.getColumnCount() + " columns; expected exactly one column of "
          + cancel.target().noun() + " IDs");
    }
    int type = metaData.getColumnType(1);
    if (cancel.isMultiple() && type != Types.VARCHAR && type != Types.CHAR) {
      throw new QuellException(SqlState.DATATYPE_MISMATCH, statement + ": column \""
          + metaData.getColumnLabel(1) + "\" of the source has type "
          + metaData.getColumnTypeName(1) + "; expected a character type");
    }
  }
}
