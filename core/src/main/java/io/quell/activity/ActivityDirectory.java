package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Finds and cancels the sessions or queries ids name: the one route every cancel takes. It
 * works on a batch of ids, so that a statement naming many of another member's activities asks
 * that member once to find them and once to cancel them.
 */
public interface ActivityDirectory {
  /**
   * The live activities among {@code ids}, in no particular order; an id with none (it ended,
   * or never was) is left out.
   */
  List<Activity> find(ActivityKind kind, List<ActivityId> ids);

  /**
   * Cancels the activities {@code ids} name for {@code caller}, whose privileges were checked,
   * and reports each one cancelled to {@code cancelled} as it is, so that those are known even
   * if a later one fails. One that has ended or was cancelled already is no error; it is just
   * not reported.
   */
  void cancel(ActivityKind kind, List<ActivityId> ids, CancelReason reason, String caller,
      Consumer<ActivityId> cancelled);

  /**
   * This node's {@code local} activities and those of other members found by {@code peers}:
   * the node id inside each id says which.
   */
  static ActivityDirectory routed(long nodeId, ActivityDirectory local,
      ActivityDirectory peers) {
    return new ActivityDirectory() {
      @Override public List<Activity> find(ActivityKind kind, List<ActivityId> ids) {
        Map<Boolean, List<ActivityId>> byPlace = byPlace(ids);
        List<Activity> found = new ArrayList<>(local.find(kind, byPlace.get(true)));
        found.addAll(peers.find(kind, byPlace.get(false)));
        return found;
      }

      @Override public void cancel(ActivityKind kind, List<ActivityId> ids, CancelReason reason,
          String caller, Consumer<ActivityId> cancelled) {
        Map<Boolean, List<ActivityId>> byPlace = byPlace(ids);
        local.cancel(kind, byPlace.get(true), reason, caller, cancelled);
        peers.cancel(kind, byPlace.get(false), reason, caller, cancelled);
      }

      /** true: this node's ids; false: the other members'. */
      private Map<Boolean, List<ActivityId>> byPlace(List<ActivityId> ids) {
        return ids.stream().collect(Collectors.partitioningBy(id -> id.nodeId() == nodeId));
      }
    };
  }
}
