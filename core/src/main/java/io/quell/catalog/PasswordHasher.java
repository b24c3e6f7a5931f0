package io.quell.catalog;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 from the JDK at OWASP's recommended cost for SHA-256 (600,000 iterations). Hashes are
 * self-describing ({@code pbkdf2-sha256$iterations$salt$hash}) so the cost can rise later
 * without invalidating stored passwords.
 */
public final class PasswordHasher {
  public static final int ITERATIONS = 600_000;
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Verified against when a user does not exist, so timing does not reveal who exists. */
  private static final String DUMMY = hash("not a password");

  private PasswordHasher() {
  }

  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + '$' + ITERATIONS + '$' + b64.encodeToString(salt) + '$'
        + b64.encodeToString(derive(password, salt, ITERATIONS));
  }

  /**
   * A stored hash taken apart: PBKDF2-HMAC-SHA256 of the UTF-8 password over {@code salt} with
   * {@code iterations}, a 32-byte {@code key}. That key is exactly SCRAM-SHA-256's
   * SaltedPassword (RFC 5802), so a client proves it knows the password over the PostgreSQL
   * protocol without the server ever seeing it or running the KDF.
   */
  public record Derived(int iterations, byte[] salt, byte[] key) {
  }

  /** {@code stored} taken apart; empty for null or a hash of another format. */
  public static Optional<Derived> parse(String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return Optional.empty();
    }
    Base64.Decoder b64 = Base64.getDecoder();
    return Optional.of(new Derived(Integer.parseInt(parts[1]), b64.decode(parts[2]),
        b64.decode(parts[3])));
  }

  /** Whether {@code password} matches {@code stored}; a null {@code stored} never matches. */
  public static boolean verify(String password, String stored) {
    Optional<Derived> derived = parse(stored == null ? DUMMY : stored);
    if (derived.isEmpty()) {
      return false;
    }
    byte[] actual = derive(password, derived.get().salt(), derived.get().iterations());
    return MessageDigest.isEqual(derived.get().key(), actual) && stored != null;
  }

  /** A random printable password, for root at first start. */
  public static String generate() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
    }
  }
}
