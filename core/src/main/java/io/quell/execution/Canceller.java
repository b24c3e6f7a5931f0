package io.quell.execution;

import io.quell.catalog.CancellationRecord;
import io.quell.catalog.NodePrincipal;
import io.quell.catalog.UserCatalog;
import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import java.time.Instant;

/**
 * Performs cancellations and writes each one to the audit, whatever asked for it: a CANCEL
 * statement, a statement timeout, an idle timeout, a closed connection or a shutdown.
 */
public final class Canceller {
  /** The name the audit records for cancellations the node makes by itself. */
  public static final String SYSTEM_USER = "node";

  private final UserCatalog catalog;

  public Canceller(UserCatalog catalog) {
    this.catalog = catalog;
  }

  /** Ends {@code session}; {@code by} is the user who asked, {@code statement} the text. */
  public boolean cancelSession(Session session, String by, CancelCause cause, String statement) {
    if (!session.end(cause)) {
      return false;
    }
    audit(by, ActivityKind.SESSION, session.id().toString(), session.user(), cause, statement);
    return true;
  }

  public boolean cancelQuery(RunningQuery query, String by, CancelCause cause, String statement) {
    if (!query.cancel(cause)) {
      return false;
    }
    audit(by, ActivityKind.QUERY, query.id().toString(), query.session().user(), cause,
        statement);
    return true;
  }

  /**
   * Ends a session whose client went away (closed or expired connection, shutdown). Only a
   * query it was still running counts as a cancellation.
   */
  public void closeSession(Session session, CancelCause cause) {
    RunningQuery query = session.activeQuery();
    if (query != null) {
      cancelQuery(query, SYSTEM_USER, cause, null);
    }
    session.end(cause);
  }

  /**
   * Audits a CANCEL statement that another cluster member carried out for {@code by}: the
   * member that checked the caller's privileges writes the record, with the real caller.
   */
  public void auditRemote(String by, ActivityKind target, String id, String user,
      String statement) {
    audit(by, target, id, user, CancelCause.STATEMENT, statement);
  }

  private void audit(String by, ActivityKind target, String id, String user, CancelCause cause,
      String statement) {
    if (by.equals(NodePrincipal.NAME)) {
      // The member that routed this cancel here audits it under its real caller.
      return;
    }
    catalog.audit().record(new CancellationRecord(Instant.now(), by, target, id, user,
        cause, statement));
  }
}
