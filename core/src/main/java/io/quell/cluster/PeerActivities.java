package io.quell.cluster;

import io.quell.activity.Activity;
import io.quell.activity.ActivityDirectory;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sessions and queries of other members, asked of the member whose node id each id
 * carries: one call per member for a batch of ids to find, and one to cancel. That member
 * cancels them; this one has checked the caller's privileges and audits them.
 */
final class PeerActivities implements ActivityDirectory {
  private final ClusterMembership membership;
  private final PeerClient peers;

  PeerActivities(ClusterMembership membership, PeerClient peers) {
    this.membership = membership;
    this.peers = peers;
  }

  /** An id whose node is not a live member is not found. */
  @Override public List<Activity> find(ActivityKind kind, List<ActivityId> ids) {
    List<Activity> found = new ArrayList<>();
    byMember(ids).forEach((member, batch) -> {
      String address = membership.peers().get(member);
      if (address != null) {
        peers.call(member, address, PeerProtocol.FIND,
                new PeerProtocol.FindRequest(kind, texts(batch))).owners()
            .forEach((id, owner) ->
                found.add(new Activity(kind, ActivityId.parse(id, kind.noun()), owner)));
      }
    });
    return found;
  }

  /** The cause always travels as it is given; the CANCEL statement's is STATEMENT. */
  @Override public void cancel(ActivityKind kind, List<ActivityId> ids, CancelReason reason,
      String caller, Consumer<ActivityId> cancelled) {
    byMember(ids).forEach((member, batch) -> {
      String address = membership.peers().get(member);
      if (address == null) {
        throw new QuellException(SqlState.CONNECTION_FAILURE, "cluster member " + member
            + " left before its " + kind.noun() + " could be canceled");
      }
      peers.call(member, address, PeerProtocol.CANCEL,
              new PeerProtocol.CancelRequest(kind, texts(batch), reason, caller)).ids()
          .forEach(id -> cancelled.accept(ActivityId.parse(id, kind.noun())));
    });
  }

  /** {@code ids} by the member whose node id they carry, in the order each first appears. */
  private static Map<Long, List<ActivityId>> byMember(List<ActivityId> ids) {
    Map<Long, List<ActivityId>> byMember = new LinkedHashMap<>();
    ids.forEach(id -> byMember.computeIfAbsent(id.nodeId(), m -> new ArrayList<>()).add(id));
    return byMember;
  }

  private static List<String> texts(List<ActivityId> ids) {
    return ids.stream().map(ActivityId::toString).toList();
  }
}
