package io.quell.server;

import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers recently verified credentials so that the slow password KDF runs once per client
 * and minute, not on every HTTP request. Entries hold a keyed digest (random per process) of
 * the password, never the password; LOGIN and existence are re-checked on every request, and
 * a password change is picked up when the entry expires.
 */
final class CredentialCache {
  private static final Duration TTL = Duration.ofSeconds(60);

  private final UserCatalog catalog;
  /** Built once: building an HMAC function looks up and initialises a JCE Mac every time. */
  private final HashFunction hmac;
  private final Cache<String, HashCode> verified =
      CacheBuilder.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

  CredentialCache(UserCatalog catalog) {
    this.catalog = catalog;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.hmac = Hashing.hmacSha256(key);
  }

  /** The outcome of one login attempt. */
  enum Outcome { ACCEPTED, WRONG_PASSWORD, LOGIN_NOT_PERMITTED }

  /**
   * Checks {@code password}; failures are never cached, so every wrong guess pays the KDF.
   */
  Outcome authenticate(String user, String password) {
    HashCode digest = hmac.hashString(password, StandardCharsets.UTF_8);
    HashCode known = verified.getIfPresent(user);
    if (known != null && MessageDigest.isEqual(known.asBytes(), digest.asBytes())) {
      Optional<Principal> principal = catalog.principal(user);
      if (principal.isPresent() && principal.get().canLogin()) {
        return Outcome.ACCEPTED;
      }
      verified.invalidate(user);
      return principal.isPresent() ? Outcome.LOGIN_NOT_PERMITTED : Outcome.WRONG_PASSWORD;
    }
    Optional<Principal> principal = catalog.verifyPassword(user, password);
    if (principal.isEmpty()) {
      return Outcome.WRONG_PASSWORD;
    }
    if (!principal.get().canLogin()) {
      return Outcome.LOGIN_NOT_PERMITTED;
    }
    verified.put(user, digest);
    return Outcome.ACCEPTED;
  }
}
