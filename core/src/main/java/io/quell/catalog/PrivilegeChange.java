package io.quell.catalog;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What CREATE/ALTER does to a role's privileges: some are switched on, some off, the rest kept.
 * No privilege is both; the parser refuses an option given twice either way.
 */
public record PrivilegeChange(Set<Privilege> granted, Set<Privilege> revoked) {
  public PrivilegeChange {
    granted = Collections.unmodifiableSet(Privilege.copyOf(granted));
    revoked = Collections.unmodifiableSet(Privilege.copyOf(revoked));
    if (!Collections.disjoint(granted, revoked)) {
      throw new IllegalArgumentException("privileges both granted and revoked: " + granted
          + ", " + revoked);
    }
  }

  /** {@code privileges} with this change made. */
  public EnumSet<Privilege> applyTo(Set<Privilege> privileges) {
    EnumSet<Privilege> changed = Privilege.copyOf(privileges);
    changed.addAll(granted);
    changed.removeAll(revoked);
    return changed;
  }
}
