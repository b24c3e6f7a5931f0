package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import java.util.Optional;

/** The sessions and queries of this node, from its registry. */
public final class LocalActivities implements ActivityDirectory {
  private final SessionRegistry registry;

  public LocalActivities(SessionRegistry registry) {
    this.registry = registry;
  }

  @Override public Optional<Activity> find(ActivityKind kind, ActivityId id) {
    return Optional.ofNullable(kind == ActivityKind.SESSION
        ? of(registry.session(id)) : of(registry.query(id)));
  }

  /** {@code session} as an activity; null for null. */
  public static Activity of(Session session) {
    return session == null ? null
        : new Local(ActivityKind.SESSION, session.id(), session.user(), session::end);
  }

  /** {@code query} as an activity; null for null. */
  public static Activity of(RunningQuery query) {
    return query == null ? null
        : new Local(ActivityKind.QUERY, query.id(), query.session().user(), query::cancel);
  }

  /** How a local session or query is cancelled. */
  @FunctionalInterface
  private interface Cancel {
    boolean cancel(CancelReason reason);
  }

  private record Local(ActivityKind kind, ActivityId id, String owner, Cancel how)
      implements Activity {
    @Override public boolean cancel(CancelReason reason) {
      return how.cancel(reason);
    }
  }
}
