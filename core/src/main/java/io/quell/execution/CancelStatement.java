package io.quell.execution;

import io.quell.activity.Activity;
import io.quell.activity.ActivityDirectory;
import io.quell.catalog.Principal;
import io.quell.catalog.PrincipalCache;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.ActivityId;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.Session;

import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Executes CANCEL SESSION(S) and CANCEL QUERY(IES): resolve every id, check every privilege,
 * then cancel them all, each audited. All or nothing: nothing is cancelled unless every id was
 * found (or IF EXISTS) and may be cancelled by the caller. The same loop for this node's
 * activities and other members', which the directory tells apart.
 */
public final class CancelStatement {
  private final ActivityDirectory activities;
  private final PrincipalCache principals;
  private final Cancellations cancellations;

  public CancelStatement(ActivityDirectory activities, PrincipalCache principals,
      Cancellations cancellations) {
    this.activities = activities;
    this.principals = principals;
    this.cancellations = cancellations;
  }

  /** Runs {@code request} as {@code caller} in {@code session}; returns how many it cancelled. */
  public long execute(Principal caller, Session session, CancelRequest request,
      String statementText) {
    String noun = request.kind().noun();
    // Distinct as ids, not as text: upper and lower case name the same.
    Set<ActivityId> parsed = new LinkedHashSet<>();
    QuellException malformed = null;
    for (String text : ids(request)) {
      try {
        parsed.add(ActivityId.parse(text, noun));
      } catch (QuellException e) {
        malformed = e;
        break;
      }
    }
    // One batch per member. The errors are those of resolving the ids one by one in order: an
    // id not found before the first malformed one is reported first.
    List<ActivityId> ids = List.copyOf(parsed);
    Map<ActivityId, Activity> found = new HashMap<>();
    activities.find(request.kind(), ids).forEach(target -> found.put(target.id(), target));
    for (ActivityId id : ids) {
      if (!found.containsKey(id) && !request.ifExists()) {
        throw new QuellException(SqlState.UNDEFINED_OBJECT, noun + " ID " + id + " not found");
      }
    }
    if (malformed != null) {
      throw malformed;
    }
    List<Activity> targets = ids.stream().map(found::get).filter(Objects::nonNull).toList();
    targets.forEach(target -> check(caller, target.owner()));
    // The count is of what this statement cancelled: a query that completed (or a session
    // that ended) since it was found is no longer there to cancel, as IF EXISTS would say.
    long cancelled = cancellations.cancel(activities, request.kind(), targets, caller.name(),
        new CancelReason(CancelCause.STATEMENT, request.message()), statementText);
    // A statement that cancelled itself fails like any cancelled statement, as PostgreSQL's
    // pg_cancel_backend(pg_backend_pid()) does; what it cancelled besides stays cancelled. One
    // that ended its own session reports its count, as the seed page's CANCEL SESSIONS of
    // root's sessions does, and the session's next call fails 57P01.
    if (QueryThread.isCanceled() && session.endCause() == null) {
      throw new QueryCanceledException();
    }
    return cancelled;
  }

  /**
   * Whether CANCEL by {@code caller} of activity of {@code targetUser} would pass the privilege
   * check, for a front end that offers only the cancels a user may make.
   */
  public boolean mayCancel(Principal caller, String targetUser) {
    try {
      check(caller, targetUser);
      return true;
    } catch (QuellException refused) {
      return false;
    }
  }

  /**
   * Throws 42501 unless {@code caller} may cancel activity of {@code targetUser}: what a CANCEL
   * checks for each target, for a cancel that names a session rather than an id
   * ({@code pg_cancel_backend}).
   */
  public void check(Principal caller, String targetUser) {
    boolean targetIsAdmin = !caller.name().equals(targetUser)
        && principals.principal(targetUser).map(Principal::isAdmin).orElse(false);
    ActivityPolicy.checkCancel(caller, targetUser, targetIsAdmin);
  }

  /** The distinct non-null ids the statement names, in order. */
  private static Set<String> ids(CancelRequest request) {
    Set<String> ids = new LinkedHashSet<>();
    if (request.source() instanceof CancelRequest.Literal literal) {
      if (literal.id() != null) {
        ids.add(literal.id());
      }
      return ids;
    }
    PlannedQuery source = ((CancelRequest.Query) request.source()).query();
    checkShape(request, source.rowType());
    // On this thread the source runs under the CANCEL's own flag: cancelling the CANCEL (or
    // its statement_timeout) stops it too.
    try (Enumerator<Object> rows = source.rows().enumerator()) {
      int count = 0;
      while (rows.moveNext()) {
        if (!request.multiple() && ++count > 1) {
          throw new QuellException(SqlState.CARDINALITY_VIOLATION,
              "more than one row returned by a subquery used as an expression");
        }
        Object id = PlannedQuery.firstColumn(rows.current());
        if (id != null) {
          ids.add(id.toString());
        }
      }
    }
    return ids;
  }

  /** CANCEL SESSIONS/QUERIES needs one character column, checked before anything runs. */
  private static void checkShape(CancelRequest request, RelDataType rowType) {
    List<RelDataTypeField> columns = rowType.getFieldList();
    if (columns.size() != 1) {
      throw new QuellException(SqlState.SYNTAX_ERROR, request.name() + ": the source returns "
          + columns.size() + " columns; expected exactly one column of "
          + request.kind().noun() + " IDs");
    }
    RelDataType type = columns.get(0).getType();
    if (request.multiple() && !SqlTypeUtil.inCharFamily(type)) {
      throw new QuellException(SqlState.DATATYPE_MISMATCH, request.name() + ": column \""
          + columns.get(0).getName() + "\" of the source has type "
          + type.getSqlTypeName().getName() + "; expected a character type");
    }
  }
}
