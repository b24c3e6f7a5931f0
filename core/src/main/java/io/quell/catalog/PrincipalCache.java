package io.quell.catalog;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The roles' effective privileges and credentials, resolved from the {@link RoleStore} and
 * cached per role, so that privilege checks on the query path do not touch the database. Every
 * commit to the catalog database empties the cache; for a catalog that other processes change
 * too, entries also age out.
 */
public final class PrincipalCache {
  private final RoleStore roles;
  private final CatalogCache<String, Optional<Resolved>> resolved;

  /**
   * A role as cached: its effective privileges, its credential (see {@link #credential}) and
   * its stored password hash.
   */
  private record Resolved(Principal principal, HashCode credential, String passwordHash) {
  }

  /** {@code ttl} null keeps entries until the next commit. */
  PrincipalCache(CatalogDatabase database, RoleStore roles, Duration ttl) {
    this.roles = roles;
    this.resolved = new CatalogCache<>(database, ttl);
  }

  /** The effective privileges of {@code name}; empty if there is no such role. */
  public Optional<Principal> principal(String name) {
    return resolved(name).map(Resolved::principal);
  }

  /**
   * A digest of {@code name}'s stored password hash. Every password set gets a new salt and so
   * a new credential, which lets a cache of verified passwords notice a change without running
   * the KDF; empty for a role without a password.
   */
  public Optional<HashCode> credential(String name) {
    return resolved(name).map(Resolved::credential);
  }

  /**
   * {@code name}'s stored password, taken apart, for a login that verifies a proof of it
   * (SCRAM) instead of the password itself; empty for no such role or a role without a
   * password.
   */
  public Optional<PasswordHasher.Derived> storedPassword(String name) {
    return resolved(name).flatMap(r -> PasswordHasher.parse(r.passwordHash()));
  }

  /** The user if the password is right and the user may log in. */
  public Optional<Principal> authenticate(String user, String password) {
    return verifyPassword(user, password).filter(Principal::canLogin);
  }

  /**
   * The user if the password is right, whether or not it may log in, so that a NOLOGIN role
   * with the right password can be told so (28000) rather than that its password is wrong.
   */
  public Optional<Principal> verifyPassword(String user, String password) {
    return roles.passwordMatches(user, password) ? principal(user) : Optional.empty();
  }

  private Optional<Resolved> resolved(String name) {
    return resolved.get(name, n -> roles.resolve(n).map(r -> new Resolved(r.principal(),
        r.passwordHash() == null ? null
            : Hashing.sha256().hashString(r.passwordHash(), StandardCharsets.UTF_8),
        r.passwordHash())));
  }
}
