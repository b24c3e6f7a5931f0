package io.quell.execution;

import static io.quell.catalog.Privilege.CANCELQUERY;
import static io.quell.catalog.Privilege.VIEWACTIVITY;
import static io.quell.catalog.Privilege.VIEWACTIVITYREDACTED;

import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;

/**
 * Who may see and cancel whose sessions and queries (SPEC "Who may do what"). One place for the
 * rule so that SHOW, the system tables and CANCEL cannot drift apart.
 */
public final class ActivityPolicy {
  private ActivityPolicy() {
  }

  public static boolean canSee(Principal caller, String targetUser) {
    return seesEveryone(caller) || caller.name().equals(targetUser);
  }

  /** Throws 42501 unless {@code caller} may see every user's activity; {@code what} names it. */
  public static void checkViewActivity(Principal caller, String what) {
    if (!seesEveryone(caller)) {
      throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
          "user " + caller.name() + " does not have VIEWACTIVITY privilege to " + what);
    }
  }

  private static boolean seesEveryone(Principal caller) {
    return caller.isAdmin() || caller.has(VIEWACTIVITY) || caller.has(VIEWACTIVITYREDACTED);
  }

  /** Whether query text of {@code targetUser} must reach {@code caller} with constants hidden. */
  public static boolean mustRedact(Principal caller, String targetUser) {
    return !caller.isAdmin() && !caller.has(VIEWACTIVITY) && caller.has(VIEWACTIVITYREDACTED)
        && !caller.name().equals(targetUser);
  }

  /** Throws 42501 unless {@code caller} may cancel activity of {@code target}. */
  public static void checkCancel(Principal caller, String targetUser, boolean targetIsAdmin) {
    if (caller.isAdmin() || caller.name().equals(targetUser)) {
      return;
    }
    if (targetIsAdmin) {
      throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE, "user " + caller.name()
          + " does not have admin privilege; only admins may cancel admin user " + targetUser);
    }
    if (!caller.has(CANCELQUERY)) {
      throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
          "user " + caller.name() + " does not have CANCELQUERY privilege");
    }
  }

  /** Throws 42501 unless {@code caller} is an admin; {@code what} names the action. */
  public static void checkAdmin(Principal caller, String what) {
    if (!caller.isAdmin()) {
      throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
          "user " + caller.name() + " does not have admin privilege to " + what);
    }
  }
}
