package io.quell.server.login;

import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers verified credentials so that the slow password KDF runs once while a client keeps
 * using its password, as PostgreSQL checks it once per connection, not on every HTTP request:
 * an entry lives a minute after its last successful use. (It used to expire a minute after
 * the check, so every busy client paid a KDF, about 110 ms, on some request each minute: the
 * 112-139 ms outliers of benchmark figure 1 over HTTP.) Entries hold a keyed digest (random per process) of
 * the password, never the password, beside the credential it was verified against: a
 * password set since (here at once, on a shared catalog within its cache time) no longer
 * matches, so the old password stops working. LOGIN and existence are re-checked on every
 * request.
 */
final class CredentialCache {
  private static final Duration TTL = Duration.ofSeconds(60);

  /** A user and the keyed digest of a password that was right for them. */
  private record Verified(String user, HashCode password) {
  }

  private final UserCatalog catalog;
  /** Built once: building an HMAC function looks up and initialises a JCE Mac every time. */
  private final HashFunction hmac;
  /** The credential each verified password was right for; several per user, old ones too. */
  private final Cache<Verified, HashCode> verified;

  CredentialCache(UserCatalog catalog) {
    this(catalog, Ticker.systemTicker());
  }

  /** A cache whose minutes pass on {@code ticker}. */
  CredentialCache(UserCatalog catalog, Ticker ticker) {
    this.catalog = catalog;
    // Written again at each use, so an old password that no longer matches still expires a
    // minute after its last success (isStale reads it without extending it).
    this.verified = CacheBuilder.newBuilder().maximumSize(10_000).expireAfterWrite(TTL)
        .ticker(ticker).build();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.hmac = Hashing.hmacSha256(key);
  }

  /**
   * The outcome for a password verified recently against the user's current credential,
   * without the KDF; empty when the password must be verified.
   */
  Optional<LoginOutcome> remembered(String user, String password) {
    Verified key = new Verified(user, digest(password));
    HashCode credential = verified.getIfPresent(key);
    if (credential == null
        || catalog.principals().credential(user).filter(credential::equals).isEmpty()) {
      return Optional.empty();
    }
    Optional<Principal> principal = catalog.principals().principal(user);
    if (principal.isPresent() && principal.get().canLogin()) {
      verified.put(key, credential);
      return Optional.of(LoginOutcome.ACCEPTED);
    }
    verified.invalidate(key);
    return Optional.of(principal.isPresent() ? LoginOutcome.LOGIN_NOT_PERMITTED
        : LoginOutcome.WRONG_PASSWORD);
  }

  /**
   * Whether {@code password} was right for {@code user} until the credential changed: a
   * client holding an old password (a pool after a password change) rather than a guess.
   */
  boolean isStale(String user, String password) {
    return verified.getIfPresent(new Verified(user, digest(password))) != null;
  }

  /** Verifies {@code password} with the KDF; failures are never remembered. */
  LoginOutcome verify(String user, String password) {
    Optional<HashCode> credential = catalog.principals().credential(user);
    Optional<Principal> principal = catalog.principals().verifyPassword(user, password);
    if (principal.isEmpty()) {
      return LoginOutcome.WRONG_PASSWORD;
    }
    if (!principal.get().canLogin()) {
      return LoginOutcome.LOGIN_NOT_PERMITTED;
    }
    // The credential read before the KDF: if the password changed meanwhile, the entry is
    // stale from the start and the next request verifies again.
    Verified key = new Verified(user, digest(password));
    credential.ifPresent(c -> verified.put(key, c));
    return LoginOutcome.ACCEPTED;
  }

  private HashCode digest(String password) {
    return hmac.hashString(password, StandardCharsets.UTF_8);
  }
}
