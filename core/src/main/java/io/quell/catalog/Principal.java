package io.quell.catalog;

import java.util.Collections;
import java.util.Set;

/**
 * A role's effective privileges: its own plus those of every role it belongs to, directly or
 * through other roles, as in CockroachDB. Membership of {@code admin} grants VIEWACTIVITY and
 * CANCELQUERY besides; LOGIN is never inherited, nor are the CONNECTION LIMIT and the QUERY
 * LIMIT ({@link #UNLIMITED} for none).
 */
public record Principal(String name, boolean isAdmin, Set<Privilege> privileges,
    int connectionLimit, int queryLimit) {
  /** The limit of a role that may have any number of sessions, or of running queries. */
  public static final int UNLIMITED = -1;

  public Principal {
    privileges = Collections.unmodifiableSet(Privilege.copyOf(privileges));
  }

  public boolean has(Privilege privilege) {
    return privileges.contains(privilege);
  }

  public boolean canLogin() {
    return has(Privilege.LOGIN);
  }
}
