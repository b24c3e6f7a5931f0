package io.quell.catalog;

/**
 * The identity with which one cluster member calls another: it makes the peer calls, and
 * nothing else (no SQL, no console), on behalf of a caller whose privileges the calling member
 * has already checked. Only a request carrying the cluster secret authenticates as it, and its
 * name cannot collide with a catalog user's login because the server checks it before the
 * catalog.
 */
public final class NodePrincipal {
  public static final String NAME = "$ node";

  private NodePrincipal() {
  }
}
