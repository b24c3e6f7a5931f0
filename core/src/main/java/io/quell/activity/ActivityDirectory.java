package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;

import java.util.Optional;

/** Finds the session or query an id names: the one route every cancel takes. */
@FunctionalInterface
public interface ActivityDirectory {
  /** The live activity {@code id} names, or empty if there is none (it ended, or never was). */
  Optional<Activity> find(ActivityKind kind, ActivityId id);

  /**
   * This node's {@code local} activities and those of other members found by {@code peers}:
   * the node id inside each id says which.
   */
  static ActivityDirectory routed(long nodeId, ActivityDirectory local,
      ActivityDirectory peers) {
    return (kind, id) -> id.nodeId() == nodeId ? local.find(kind, id) : peers.find(kind, id);
  }
}
