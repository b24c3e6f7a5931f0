package io.quell.execution;

import io.quell.activity.Activity;
import io.quell.activity.LocalActivities;
import io.quell.catalog.AuditLog;
import io.quell.catalog.CancellationRecord;
import io.quell.catalog.NodePrincipal;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import java.time.Instant;

/**
 * Carries out every cancellation and writes it to the audit, whatever asked for it: a CANCEL
 * statement, a statement timeout, an idle timeout, a closed or expired connection or a drain.
 */
public final class Cancellations {
  /** The name the audit records for cancellations the node makes by itself. */
  public static final String SYSTEM_USER = "node";

  private final AuditLog audit;

  public Cancellations(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * Cancels {@code target} for {@code by} and audits it; {@code statement} is the CANCEL's
   * text, null for the node's own causes. False if it had already ended.
   */
  public boolean cancel(Activity target, String by, CancelReason reason, String statement) {
    if (!target.cancel(reason)) {
      return false;
    }
    // A cancel routed here by another member is audited there, under its real caller.
    if (!by.equals(NodePrincipal.NAME)) {
      audit.record(new CancellationRecord(Instant.now(), by, target.kind(),
          target.id().toString(), target.owner(), reason.cause(), statement, reason.message()));
    }
    return true;
  }

  /** Cancels {@code query} for a cause of the node's own (a timeout, a vanished client). */
  public void cancelByNode(RunningQuery query, CancelCause cause) {
    cancelByNode(query, CancelReason.of(cause));
  }

  /** Cancels {@code query} for a reason of the node's own, which the node explains. */
  public void cancelByNode(RunningQuery query, CancelReason reason) {
    cancel(LocalActivities.of(query), SYSTEM_USER, reason, null);
  }

  /** Ends {@code session} for a cause of the node's own (an idle timeout). */
  public void endByNode(Session session, CancelCause cause) {
    cancel(LocalActivities.of(session), SYSTEM_USER, CancelReason.of(cause), null);
  }

  /**
   * Ends a session whose client went away (closed or expired connection, shutdown). Only a
   * query it was still running counts as a cancellation.
   */
  public void closeSession(Session session, CancelCause cause) {
    closeSession(session, CancelReason.of(cause));
  }

  /** Ends {@code session} for a reason of the node's own, which its client reads (a drain). */
  public void closeSession(Session session, CancelReason reason) {
    RunningQuery query = session.activeQuery();
    if (query != null) {
      cancelByNode(query, reason);
    }
    session.end(reason);
  }
}
