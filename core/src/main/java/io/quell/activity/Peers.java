package io.quell.activity;

import java.util.List;

/**
 * The other members of this node's cluster, as the engine sees them: where their activities
 * are found, their rows of the node tables, their sessions per role, and their state. The
 * cluster layer implements it; a single node has none.
 */
public interface Peers {
  /** The sessions and queries of the other members. */
  ActivityDirectory activities();

  /**
   * The rows of node table {@code table} on every other live member that {@code viewer} may
   * see, with query texts redacted for it: each member filters its own rows as it does for its
   * own readers. A member that fails or does not answer in time is left out.
   */
  List<Object[]> rows(String table, Viewer viewer);

  /** The open sessions of {@code role} on every other live member, one that fails left out. */
  ConnectionCount connections(String role);

  /** This node and every live peer, each with its last failure to answer, if any. */
  List<MemberStatus> members();

  /** Tells the other members that this node drains, so that they list it as draining. */
  void announceDraining();
}
