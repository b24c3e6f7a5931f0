package io.quell.engine;

import io.quell.activity.ConnectionCount;
import io.quell.activity.Peers;
import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import java.sql.Connection;
import java.util.Optional;

/**
 * Holds each role to its CONNECTION LIMIT, counted over the whole cluster: this node's open
 * sessions and those the other members count by the same rule ({@link #count}).
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
      ConnectionCount counts = count(principal.name());
      if (peers.isPresent()) {
        counts = counts.plus(peers.get().connections(principal.name()));
      }
      long ordinary = counts.ordinary() + (isInternal(applicationName) ? 0 : 1);
      long internal = counts.internal() + (isInternal(applicationName) ? 1 : 0);
      if (Math.max(ordinary, internal) > principal.connectionLimit()) {
        throw new QuellException(SqlState.TOO_MANY_CONNECTIONS,
            "too many connections for role \"" + principal.name() + "\"");
      }
      return registry.open(principal.name(), clientAddress, applicationName, connection);
    }
  }

  /** The open sessions of {@code role} on this node: what other members ask of it too. */
  ConnectionCount count(String role) {
    long ordinary = 0;
    long internal = 0;
    for (Session s : registry.sessions()) {
      if (s.user().equals(role)) {
        if (isInternal(s.variables().applicationName())) {
          internal++;
        } else {
          ordinary++;
        }
      }
    }
    return new ConnectionCount(ordinary, internal);
  }

  private static boolean isInternal(String applicationName) {
    return applicationName != null
        && applicationName.startsWith(Session.INTERNAL_APPLICATION_PREFIX);
  }
}
