package io.quell.server.login;

import io.quell.catalog.NodePrincipal;
import io.quell.catalog.PasswordHasher;
import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Checks a user's password for every door of the server (the Avatica endpoint, the web
 * console and the PostgreSQL protocol's SCRAM), so that all share one {@link LoginThrottle}:
 * a guess counts the same wherever it is made. Passwords sent in clear share one
 * {@link CredentialCache}. On a cluster member, the {@link NodePrincipal}
 * authenticates with the cluster secret and nothing else; without a secret it cannot log in
 * at all.
 */
public final class Authenticator {
  /** A user name and password as a client sent them. */
  public record Credentials(String user, String password) {
  }

  private final UserCatalog catalog;
  private final CredentialCache credentials;
  private final LoginThrottle throttle;
  private final byte[] clusterSecret;
  private final LongAdder failedLogins = new LongAdder();
  /** Derives the stand-in SCRAM salts of users that do not exist; random per process. */
  private final byte[] standInKey = new byte[32];

  /** {@code clusterSecret} is null on a single node. */
  public Authenticator(UserCatalog catalog, LoginThrottle throttle, String clusterSecret) {
    this.catalog = catalog;
    this.credentials = new CredentialCache(catalog);
    new SecureRandom().nextBytes(standInKey);
    this.throttle = throttle;
    this.clusterSecret = clusterSecret == null ? null
        : clusterSecret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The node principal knows the cluster secret; everyone else is checked by the catalog, a
   * password neither verified recently nor right before a password change through the
   * throttle of its user and client address. Throws the catalog's QuellException when the
   * catalog cannot answer.
   */
  public LoginOutcome authenticate(String user, String password, String address) {
    return counted(check(user, password, address));
  }

  /** {@code outcome}, counted among the failed logins if it is one. */
  private LoginOutcome counted(LoginOutcome outcome) {
    if (outcome == LoginOutcome.WRONG_PASSWORD) {
      failedLogins.increment();
    }
    return outcome;
  }

  /** Logins refused since start for a wrong user or password, or while throttled. */
  public long failedLogins() {
    return failedLogins.sum();
  }

  private LoginOutcome check(String user, String password, String address) {
    if (user.equals(NodePrincipal.NAME)) {
      return clusterSecret != null && MessageDigest.isEqual(clusterSecret,
          password.getBytes(StandardCharsets.UTF_8)) ? LoginOutcome.ACCEPTED
          : LoginOutcome.WRONG_PASSWORD;
    }
    Optional<LoginOutcome> remembered = credentials.remembered(user, password);
    if (remembered.isPresent()) {
      return remembered.get();
    }
    if (credentials.isStale(user, password)) {
      // Not a guess: the clients still holding an old password must not lock out the new one.
      return credentials.verify(user, password);
    }
    // The check this one waited for may have verified the same password.
    return throttled(user, address, () -> credentials.remembered(user, password)
        .orElseGet(() -> credentials.verify(user, password)));
  }

  /**
   * Begins a SCRAM-SHA-256 login of {@code user} from {@code address} (the PostgreSQL
   * protocol), against the stored password. The node principal never logs in this way, and
   * it, a user that does not exist and one without a password all get a stand-in that
   * answers alike and never accepts. Throws the catalog's QuellException when the catalog
   * cannot answer.
   */
  public ScramExchange scram(String user, String address) {
    Optional<PasswordHasher.Derived> stored = user.equals(NodePrincipal.NAME) ? Optional.empty()
        : catalog.principals().storedPassword(user);
    return new ScramExchange(stored.orElseGet(() -> ScramExchange.standIn(user, standInKey)),
        stored.isPresent(), ScramExchange.newNonce(),
        matches -> counted(throttled(user, address, () -> !matches ? LoginOutcome.WRONG_PASSWORD
            : catalog.principals().principal(user).filter(Principal::canLogin).isPresent()
                ? LoginOutcome.ACCEPTED : LoginOutcome.LOGIN_NOT_PERMITTED)));
  }

  /**
   * {@code check} of {@code user}'s password from {@code address}, through the throttle of
   * that pair: refused without a check while the pair waits, counted as a failure unless
   * accepted.
   */
  private LoginOutcome throttled(String user, String address, Supplier<LoginOutcome> check) {
    if (!throttle.admit(user, address)) {
      return LoginOutcome.WRONG_PASSWORD;
    }
    LoginOutcome outcome = LoginOutcome.WRONG_PASSWORD;
    try {
      outcome = check.get();
    } finally {
      if (outcome == LoginOutcome.WRONG_PASSWORD) {
        throttle.failed(user, address);
      } else {
        throttle.succeeded(user, address);
      }
    }
    return outcome;
  }

  /** User and password of a BASIC {@code Authorization} header; empty for anything else. */
  public static Optional<Credentials> basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(decoded.substring(0, colon),
        decoded.substring(colon + 1)));
  }
}
