package io.quell.engine;

import io.quell.activity.Peers;
import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;
import io.quell.session.SessionStatus;

import java.sql.Connection;
import java.util.Optional;

/**
 * Holds each role to its CONNECTION LIMIT, counted over the whole cluster: this node's open
 * sessions and those the other members list open in their {@code node_sessions}.
 *
 * <p>Internal sessions do not count, but only one per ordinary session: a driver opens one
 * cancel channel per connection, and an application name a client may choose must not be a way
 * around the limit. Logins on this node are admitted one at a time; two members admitting the
 * last free session at the same moment may both let it in, and a member that does not answer
 * is not counted (a limit must not lock everyone out while a member is down).
 */
final class ConnectionLimits {
  private final SessionRegistry registry;
  private final Optional<Peers> peers;

  ConnectionLimits(SessionRegistry registry, Optional<Peers> peers) {
    this.registry = registry;
    this.peers = peers;
  }

  /**
   * Registers the session of {@code principal}, or fails with 53300 at its limit; members of
   * admin are not held to one, so that an operator can always get in.
   */
  Session open(Principal principal, String clientAddress, String applicationName,
      Connection connection) {
    if (principal.isAdmin() || principal.connectionLimit() == Principal.UNLIMITED) {
      return registry.open(principal.name(), clientAddress, applicationName, connection);
    }
    synchronized (this) {
      long[] counts = {0, 0}; // ordinary, internal
      registry.sessions().forEach(s -> count(counts, s.user(), s.variables().applicationName(),
          principal.name()));
      peers.ifPresent(p -> p.rows(SystemSchema.NODE_SESSIONS).stream()
          .filter(row -> !SessionStatus.CLOSED.name()
              .equals(row[SystemSchema.SESSION_STATUS_COLUMN]))
          .forEach(row -> count(counts, (String) row[SystemSchema.USER_COLUMN],
              (String) row[SystemSchema.SESSION_APPLICATION_COLUMN], principal.name())));
      counts[isInternal(applicationName) ? 1 : 0]++;
      if (Math.max(counts[0], counts[1]) > principal.connectionLimit()) {
        throw new QuellException(SqlState.TOO_MANY_CONNECTIONS,
            "too many connections for role \"" + principal.name() + "\"");
      }
      return registry.open(principal.name(), clientAddress, applicationName, connection);
    }
  }

  private static void count(long[] counts, String user, String applicationName, String role) {
    if (user.equals(role)) {
      counts[isInternal(applicationName) ? 1 : 0]++;
    }
  }

  private static boolean isInternal(String applicationName) {
    return applicationName != null
        && applicationName.startsWith(Session.INTERNAL_APPLICATION_PREFIX);
  }
}
