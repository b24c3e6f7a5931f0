package io.quell.cluster;

import io.quell.catalog.Principal;

/**
 * The identity with which one cluster member calls another: it reads the node tables
 * unredacted and cancels on behalf of a caller whose privileges the calling member has already
 * checked. Only a request carrying the cluster secret authenticates as it, and its name cannot
 * collide with a catalog user's login because the server checks it before the catalog.
 */
public final class NodePrincipal {
  public static final String NAME = "$ node";
  public static final Principal PRINCIPAL = new Principal(NAME, true, true, false, true, true);
  /** Application name of member-to-member connections: internal, so hidden from SHOW. */
  public static final String APPLICATION = "$ internal cluster peer";

  private NodePrincipal() {
  }
}
