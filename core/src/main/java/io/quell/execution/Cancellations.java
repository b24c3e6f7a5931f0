package io.quell.execution;

import io.quell.activity.Activity;
import io.quell.activity.ActivityDirectory;
import io.quell.activity.LocalActivities;
import io.quell.catalog.AuditLog;
import io.quell.catalog.CancellationRecord;
import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Carries out every cancellation and writes it to the audit, whatever asked for it: a CANCEL
 * statement, a statement timeout, an idle timeout, a closed or expired connection or a drain.
 */
public final class Cancellations {
  /** The name the audit records for cancellations the node makes by itself. */
  public static final String SYSTEM_USER = "node";

  private final AuditLog audit;
  /** Cancellations since start by cause, for the metrics: the audit may be pruned. */
  private final Map<CancelCause, LongAdder> counts = new EnumMap<>(CancelCause.class);

  public Cancellations(AuditLog audit) {
    this.audit = audit;
    for (CancelCause cause : CancelCause.values()) {
      counts.put(cause, new LongAdder());
    }
  }

  /** How many queries and sessions this node cancelled for {@code cause} since it started. */
  public long count(CancelCause cause) {
    return counts.get(cause).sum();
  }

  /**
   * Cancels {@code targets}, which {@code directory} found, for {@code by} with {@code reason},
   * and audits each one cancelled; {@code statement} is the CANCEL's text. Returns how many it
   * cancelled: one that has ended since it was found is not counted. A cancel routed to another
   * member is audited here, under its real caller, and nowhere else; what was cancelled before a
   * member failed is audited too.
   */
  public long cancel(ActivityDirectory directory, ActivityKind kind, List<Activity> targets,
      String by, CancelReason reason, String statement) {
    Set<ActivityId> cancelled = ConcurrentHashMap.newKeySet();
    try {
      directory.cancel(kind, targets.stream().map(Activity::id).toList(), reason, by,
          cancelled::add);
    } finally {
      targets.stream().filter(target -> cancelled.contains(target.id()))
          .forEach(target -> audit(target, by, reason, statement));
    }
    return cancelled.size();
  }

  /** Cancels {@code query} for a cause of the node's own (a timeout, a vanished client). */
  public void cancelByNode(RunningQuery query, CancelCause cause) {
    cancelByNode(query, CancelReason.of(cause));
  }

  /** Cancels {@code query} for a reason of the node's own, which the node explains. */
  public void cancelByNode(RunningQuery query, CancelReason reason) {
    if (query.cancel(reason)) {
      audit(LocalActivities.of(query), SYSTEM_USER, reason, null);
    }
  }

  /** Ends {@code session} for a cause of the node's own (an idle timeout). */
  public void endByNode(Session session, CancelCause cause) {
    CancelReason reason = CancelReason.of(cause);
    if (session.end(reason)) {
      audit(LocalActivities.of(session), SYSTEM_USER, reason, null);
    }
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

  private void audit(Activity target, String by, CancelReason reason, String statement) {
    counts.get(reason.cause()).increment();
    audit.record(new CancellationRecord(Instant.now(), by, target.kind(),
        target.id().toString(), target.owner(), reason.cause(), statement, reason.message()));
  }
}
