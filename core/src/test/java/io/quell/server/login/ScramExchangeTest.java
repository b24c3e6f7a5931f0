package io.quell.server.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.catalog.PasswordHasher;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The server's side of SCRAM-SHA-256 against RFC 7677's own example exchange, and what it
 * refuses.
 */
class ScramExchangeTest {
  private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxF"
      + "Ilj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  /** The password "pencil" as the catalog stores it: PBKDF2-HMAC-SHA256, salt, 4096 rounds. */
  private static PasswordHasher.Derived pencil() throws Exception {
    byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
    return new PasswordHasher.Derived(4096, salt, key);
  }

  private static ScramExchange exchange(PasswordHasher.Derived secret, boolean real) {
    return new ScramExchange(secret, real, SERVER_NONCE,
        matches -> matches ? LoginOutcome.ACCEPTED : LoginOutcome.WRONG_PASSWORD);
  }

  @Test void rfc7677sExampleLogsIn() throws Exception {
    ScramExchange scram = exchange(pencil(), true);
    assertEquals(SERVER_FIRST, scram.serverFirst(CLIENT_FIRST));
    ScramExchange.Result result = scram.finish(CLIENT_FINAL);
    assertEquals(LoginOutcome.ACCEPTED, result.outcome());
    assertEquals(SERVER_FINAL, result.serverFinal());
  }

  @Test void aWrongProofOrAStandInIsRefusedWithoutTheServerProof() throws Exception {
    ScramExchange scram = exchange(pencil(), true);
    scram.serverFirst(CLIENT_FIRST);
    ScramExchange.Result wrong = scram.finish(CLIENT_FINAL.replace("p=dHzb", "p=dHzc"));
    assertEquals(LoginOutcome.WRONG_PASSWORD, wrong.outcome());
    assertEquals(null, wrong.serverFinal());
    // A stand-in answers like a real user, and never accepts, even the right proof.
    ScramExchange standIn = exchange(pencil(), false);
    assertEquals(SERVER_FIRST, standIn.serverFirst(CLIENT_FIRST));
    assertEquals(LoginOutcome.WRONG_PASSWORD, standIn.finish(CLIENT_FINAL).outcome());
  }

  @Test void standInsOfOneUserShowTheSameSaltAndDifferentUsersDifferentOnes() {
    byte[] key = "a key of the process".getBytes(StandardCharsets.UTF_8);
    PasswordHasher.Derived first = ScramExchange.standIn("mallory", key);
    PasswordHasher.Derived again = ScramExchange.standIn("mallory", key);
    PasswordHasher.Derived other = ScramExchange.standIn("trent", key);
    assertEquals(Base64.getEncoder().encodeToString(first.salt()),
        Base64.getEncoder().encodeToString(again.salt()));
    assertFalse(Base64.getEncoder().encodeToString(first.salt())
        .equals(Base64.getEncoder().encodeToString(other.salt())));
    assertEquals(PasswordHasher.ITERATIONS, first.iterations());
  }

  @Test void malformedMessagesAndChannelBindingAreRefused() throws Exception {
    for (String clientFirst : new String[] {"p=tls-server-end-point,,n=user,r=abc",
        "x,,n=user,r=abc", "n,a=admin,n=user,r=abc", "n,,n=user", "n,,n=user,r=abc,m=ext",
        "n,,n=user,r=a b"}) {
      ScramExchange.MalformedException e = assertThrows(ScramExchange.MalformedException.class,
          () -> exchange(pencil(), true).serverFirst(clientFirst), clientFirst);
      assertTrue(e.getMessage().startsWith("malformed SCRAM message"), e.getMessage());
    }
    ScramExchange scram = exchange(pencil(), true);
    scram.serverFirst(CLIENT_FIRST);
    for (String clientFinal : new String[] {"c=biws,r=other,p=AAAA",
        CLIENT_FINAL.replace("c=biws", "c=eSws"), "c=biws,r=x", CLIENT_FINAL + "!"}) {
      assertThrows(ScramExchange.MalformedException.class, () -> scram.finish(clientFinal),
          clientFinal);
    }
    assertThrows(ScramExchange.MalformedException.class,
        () -> exchange(pencil(), true).finish(CLIENT_FINAL));
  }
}
