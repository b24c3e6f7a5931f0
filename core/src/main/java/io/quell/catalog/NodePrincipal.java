package io.quell.catalog;

import io.quell.session.Session;

import java.util.EnumSet;

/**
 * The identity with which one cluster member calls another: it reads the node tables
 * unredacted and cancels on behalf of a caller whose privileges the calling member has already
 * checked. Only a request carrying the cluster secret authenticates as it, and its name cannot
 * collide with a catalog user's login because the server checks it before the catalog.
 */
public final class NodePrincipal {
  public static final String NAME = "$ node";
  public static final Principal PRINCIPAL = new Principal(NAME, true,
      EnumSet.of(Privilege.LOGIN, Privilege.VIEWACTIVITY, Privilege.CANCELQUERY),
      Principal.UNLIMITED, Principal.UNLIMITED);
  /** Application name of member-to-member connections: internal, so hidden from SHOW. */
  public static final String APPLICATION = Session.INTERNAL_APPLICATION_PREFIX + " cluster peer";

  private NodePrincipal() {
  }
}
