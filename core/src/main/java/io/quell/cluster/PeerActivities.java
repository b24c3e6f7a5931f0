package io.quell.cluster;

import io.quell.activity.Activity;
import io.quell.activity.ActivityDirectory;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The sessions and queries of other members, asked of the member whose node id the id
 * carries. Cancelling one asks that member to cancel it as the node principal; this member
 * has checked the caller's privileges and audits it.
 */
final class PeerActivities implements ActivityDirectory {
  private final ClusterMembership membership;
  private final PeerClient peers;

  PeerActivities(ClusterMembership membership, PeerClient peers) {
    this.membership = membership;
    this.peers = peers;
  }

  /** Empty if the id's node is not a live member or has no such session or query. */
  @Override public Optional<Activity> find(ActivityKind kind, ActivityId id) {
    String address = membership.peers().get(id.nodeId());
    if (address == null) {
      return Optional.empty();
    }
    Optional<String> owner = peers.call(address, c -> {
      try (PreparedStatement statement = c.prepareStatement(PeerRequests.owner(kind))) {
        statement.setString(1, id.toString());
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
    return owner.map(user -> new Remote(kind, id, user));
  }

  private final class Remote implements Activity {
    private final ActivityKind kind;
    private final ActivityId id;
    private final String owner;

    Remote(ActivityKind kind, ActivityId id, String owner) {
      this.kind = kind;
      this.id = id;
      this.owner = owner;
    }

    @Override public ActivityKind kind() {
      return kind;
    }

    @Override public ActivityId id() {
      return id;
    }

    @Override public String owner() {
      return owner;
    }

    /**
     * The member cancels it as a statement, with the canceler's message; the cause is always
     * a statement across the wire.
     */
    @Override public boolean cancel(CancelReason reason) {
      String address = membership.peers().get(id.nodeId());
      if (address == null) {
        throw new QuellException(SqlState.CONNECTION_FAILURE, "cluster member " + id.nodeId()
            + " left before its " + kind.noun() + " could be canceled");
      }
      return peers.call(address, c -> {
        try (PreparedStatement statement = c.prepareStatement(PeerRequests.cancel(kind))) {
          statement.setString(1, id.toString());
          statement.setString(2, reason.message());
          return statement.executeUpdate();
        }
      }) > 0;
    }
  }
}
