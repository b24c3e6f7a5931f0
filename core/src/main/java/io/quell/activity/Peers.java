package io.quell.activity;

import java.util.List;

/**
 * The other members of this node's cluster, as the engine sees them: where their activities
 * are found, their rows of the node tables, and their state. The cluster layer implements it;
 * a single node has none.
 */
public interface Peers {
  /** The sessions and queries of the other members. */
  ActivityDirectory activities();

  /**
   * Every row of node table {@code table} on every other live member, unfiltered; who may see
   * them is decided on this node. A member that fails or does not answer in time is left out.
   */
  List<Object[]> rows(String table);

  /** This node and every live peer, each with its last failure to answer, if any. */
  List<MemberStatus> members();

  /** Tells the other members that this node drains, so that they list it as draining. */
  void announceDraining();
}
