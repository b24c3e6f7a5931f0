package io.quell.server.login;

import io.quell.catalog.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's side of one SCRAM-SHA-256 login (RFC 5802, RFC 7677) without channel binding,
 * as PostgreSQL clients speak it: the client proves it knows the password from the stored
 * hash's salt and iterations, and the server proves it holds the hash; neither the password
 * nor the hash crosses the wire. The stored PBKDF2 key is SCRAM's SaltedPassword, so the
 * server runs no KDF (the client does). The user name inside the client's messages is ignored,
 * as PostgreSQL ignores it: the login's user is the one the connection started with.
 *
 * <p>A user that does not exist, may not log in here or has no password gets the same answers
 * from a stand-in verifier with a salt derived from its name (the same at every attempt), and
 * its proof never matches: the answers do not tell who exists. {@link #finish} decides the
 * login through the server's throttle ({@link Authenticator}), as every door's.
 */
public final class ScramExchange {
  public static final String MECHANISM = "SCRAM-SHA-256";
  private static final String HMAC = "HmacSHA256";
  private static final int NONCE_BYTES = 18;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A client message that does not follow the RFC: a protocol violation, not a wrong password. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super("malformed SCRAM message: " + message);
    }
  }

  /** What the client proved: whether its proof matched, and the server's final message. */
  record Proof(boolean matches, String serverFinal) {
  }

  /** The outcome of a login and, if accepted, the server-final-message to send. */
  public record Result(LoginOutcome outcome, String serverFinal) {
  }

  /** Decides the login once the proof is known: the throttle and the role's LOGIN. */
  @FunctionalInterface
  interface Verdict {
    LoginOutcome decide(boolean proofMatches);
  }

  private final PasswordHasher.Derived secret;
  private final boolean real;
  private final String serverNonce;
  private final Verdict verdict;
  private String clientFirstBare;
  private String gs2Header;
  private String serverFirst;
  private String nonce;

  /**
   * An exchange against {@code secret}; {@code real} false for a stand-in, whose proofs never
   * match. {@code serverNonce} is random except in the RFC's test vectors.
   */
  ScramExchange(PasswordHasher.Derived secret, boolean real, String serverNonce,
      Verdict verdict) {
    this.secret = secret;
    this.real = real;
    this.serverNonce = serverNonce;
    this.verdict = verdict;
  }

  /** A fresh server nonce: printable, without commas. */
  static String newNonce() {
    byte[] bytes = new byte[NONCE_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The server-first-message answering {@code clientFirst}
   * ({@code n,,n=user,r=nonce}): the combined nonce, the salt and the iterations.
   */
  public String serverFirst(String clientFirst) throws MalformedException {
    if (serverFirst != null) {
      throw new MalformedException("the client-first-message came twice");
    }
    if (clientFirst.startsWith("p=")) {
      throw new MalformedException("channel binding was not offered");
    }
    if (!clientFirst.startsWith("n,") && !clientFirst.startsWith("y,")) {
      throw new MalformedException("unexpected GS2 header");
    }
    int bare = clientFirst.indexOf(',', 2);
    if (bare < 0) {
      throw new MalformedException("GS2 header without end");
    }
    if (bare != 2) {
      throw new MalformedException("authorization identities are not supported");
    }
    gs2Header = clientFirst.substring(0, bare + 1);
    clientFirstBare = clientFirst.substring(bare + 1);
    String[] attributes = clientFirstBare.split(",", -1);
    if (attributes.length < 2 || !attributes[0].startsWith("n=")
        || !attributes[1].startsWith("r=") || attributes[1].length() == 2) {
      throw new MalformedException("expected n=user,r=nonce");
    }
    if (attributes.length > 2) {
      throw new MalformedException("extensions are not supported");
    }
    String clientNonce = attributes[1].substring(2);
    if (!printable(clientNonce)) {
      throw new MalformedException("the nonce has characters outside printable ASCII");
    }
    nonce = clientNonce + serverNonce;
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt())
        + ",i=" + secret.iterations();
    return serverFirst;
  }

  /**
   * Ends the exchange with the client-final-message: a malformed one fails at once, a proof
   * is decided by the server's throttle and the role's LOGIN. May wait for the throttle.
   */
  public Result finish(String clientFinal) throws MalformedException {
    Proof proof = verify(clientFinal);
    LoginOutcome outcome = verdict.decide(proof.matches());
    return new Result(outcome, outcome == LoginOutcome.ACCEPTED ? proof.serverFinal() : null);
  }

  /**
   * Checks the client-final-message ({@code c=...,r=...,p=proof}) against the stored key;
   * the server-final-message proves the server's side where it matched.
   */
  Proof verify(String clientFinal) throws MalformedException {
    if (serverFirst == null) {
      throw new MalformedException("the client-final-message came first");
    }
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) {
      throw new MalformedException("no proof");
    }
    String withoutProof = clientFinal.substring(0, proofAt);
    String[] attributes = withoutProof.split(",", -1);
    if (attributes.length != 2 || !attributes[0].startsWith("c=")
        || !attributes[1].startsWith("r=")) {
      throw new MalformedException("expected c=binding,r=nonce,p=proof");
    }
    String binding = Base64.getEncoder().encodeToString(
        gs2Header.getBytes(StandardCharsets.UTF_8));
    if (!attributes[0].substring(2).equals(binding)) {
      throw new MalformedException("the channel binding differs from the GS2 header");
    }
    if (!attributes[1].substring(2).equals(nonce)) {
      throw new MalformedException("the nonce differs from the server's");
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      throw new MalformedException("the proof is not base64");
    }
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] storedKey = sha256(hmac(secret.key(), "Client Key"));
    byte[] clientSignature = hmac(storedKey, authMessage);
    boolean matches = proof.length == clientSignature.length;
    if (matches) {
      byte[] clientKey = new byte[proof.length];
      for (int i = 0; i < proof.length; i++) {
        clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
      }
      matches = MessageDigest.isEqual(sha256(clientKey), storedKey);
    }
    byte[] serverSignature = hmac(hmac(secret.key(), "Server Key"), authMessage);
    return new Proof(matches && real,
        "v=" + Base64.getEncoder().encodeToString(serverSignature));
  }

  /**
   * The stand-in secret of {@code user}: a salt derived from the name with {@code key}, so
   * that repeated attempts see the same one, the product's iterations, and a random key.
   */
  static PasswordHasher.Derived standIn(String user, byte[] key) {
    byte[] salt = new byte[16];
    System.arraycopy(hmac(key, user), 0, salt, 0, salt.length);
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return new PasswordHasher.Derived(PasswordHasher.ITERATIONS, salt, random);
  }

  static byte[] hmac(byte[] key, String text) {
    return hmac(key, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " is missing from this JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ',') {
        return false;
      }
    }
    return true;
  }
}
