package io.quell.catalog;

import java.util.Collection;
import java.util.EnumSet;

/**
 * A privilege a role holds by itself, as the catalog stores it. Membership of {@code admin}
 * is no privilege of this kind: it is a grant, and {@link Principal#isAdmin()} answers it.
 */
public enum Privilege {
  LOGIN,
  VIEWACTIVITY,
  VIEWACTIVITYREDACTED,
  CANCELQUERY;

  /** A mutable copy of {@code privileges}; {@link EnumSet#copyOf} refuses an empty plain set. */
  static EnumSet<Privilege> copyOf(Collection<Privilege> privileges) {
    EnumSet<Privilege> copy = EnumSet.noneOf(Privilege.class);
    copy.addAll(privileges);
    return copy;
  }
}
