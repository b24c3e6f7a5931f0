package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sessions and queries of this node, from its registry: what a CANCEL run here finds of
 * this node, and what this node finds and cancels when another member asks.
 */
public final class LocalActivities implements ActivityDirectory {
  private final SessionRegistry registry;

  public LocalActivities(SessionRegistry registry) {
    this.registry = registry;
  }

  @Override public List<Activity> find(ActivityKind kind, List<ActivityId> ids) {
    List<Activity> found = new ArrayList<>();
    for (ActivityId id : ids) {
      if (kind == ActivityKind.SESSION) {
        Session session = registry.session(id);
        if (session != null) {
          found.add(of(session));
        }
      } else {
        RunningQuery query = registry.query(id);
        if (query != null) {
          found.add(of(query));
        }
      }
    }
    return found;
  }

  /**
   * Looks each id up again: ids are never reused, so one that is gone has ended since it was
   * found, and there is nothing left to cancel.
   */
  @Override public void cancel(ActivityKind kind, List<ActivityId> ids, CancelReason reason,
      String caller, Consumer<ActivityId> cancelled) {
    for (ActivityId id : ids) {
      boolean done;
      if (kind == ActivityKind.SESSION) {
        Session session = registry.session(id);
        done = session != null && session.end(reason);
      } else {
        RunningQuery query = registry.query(id);
        done = query != null && query.cancel(reason);
      }
      if (done) {
        cancelled.accept(id);
      }
    }
  }

  /** {@code session} as an activity. */
  public static Activity of(Session session) {
    return new Activity(ActivityKind.SESSION, session.id(), session.user());
  }

  /** {@code query} as an activity. */
  public static Activity of(RunningQuery query) {
    return new Activity(ActivityKind.QUERY, query.id(), query.session().user());
  }
}
