package io.quell.cluster;

import io.quell.engine.SystemSchema;
import io.quell.session.ActivityKind;
import io.quell.session.SessionStatus;

/**
 * The SQL one member sends another, all of it, built from the system tables' own names so
 * that a renamed column cannot leave a peer request behind.
 */
final class PeerRequests {
  private PeerRequests() {
  }

  /** Every row of node table {@code table}. */
  static String allRows(String table) {
    return "SELECT * FROM " + quoted(SystemSchema.NAME) + "." + quoted(table);
  }

  /** The node id of the member that answers. */
  static String self() {
    return "SELECT " + quoted(SystemSchema.NODE_ID) + " FROM " + quoted(SystemSchema.NAME) + "."
        + quoted(SystemSchema.CLUSTER_MEMBERS) + " WHERE " + quoted(SystemSchema.IS_SELF);
  }

  /**
   * The owner of the session or query whose id is the one parameter; a closed session has
   * none, since there is nothing left to cancel.
   */
  static String owner(ActivityKind kind) {
    boolean session = kind == ActivityKind.SESSION;
    return "SELECT " + quoted(SystemSchema.USER_NAME) + " FROM " + quoted(SystemSchema.NAME)
        + "." + quoted(session ? SystemSchema.NODE_SESSIONS : SystemSchema.NODE_QUERIES)
        + " WHERE " + quoted(session ? SystemSchema.SESSION_ID : SystemSchema.QUERY_ID) + " = ?"
        + (session ? " AND " + quoted(SystemSchema.STATUS) + " <> '"
            + SessionStatus.CLOSED.name() + "'" : "");
  }

  /**
   * Cancels the id that is the first parameter, if it still exists, with the message that is
   * the second (NULL for none); the update count says whether it did.
   */
  static String cancel(ActivityKind kind) {
    return "CANCEL " + kind.name() + " IF EXISTS ? WITH MESSAGE ?";
  }

  private static String quoted(String identifier) {
    return "\"" + identifier + "\"";
  }
}
