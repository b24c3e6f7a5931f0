package io.quell.server.console;

import io.quell.catalog.NodePrincipal;
import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.server.login.Authenticator;
import io.quell.server.login.LoginOutcome;

import com.google.common.hash.HashCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * Who is calling the console, and logging in and out. A page logs in once with the user's
 * catalog password, checked by the server's {@link Authenticator} (so failed logins are
 * throttled exactly like JDBC's), and gets an HTTP session (the cookie's flags are set where
 * the session handler is made) holding the user and a CSRF token, which every later POST of
 * that session must send in {@value #CSRF_HEADER}; the login ends when the user's password
 * changes or the user may no longer log in. A script sends HTTP BASIC on every request
 * instead. The cluster's node principal is not a console user.
 */
final class ConsoleLogin {
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String USER_ATTRIBUTE = "io.quell.console.user";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Authenticator authenticator;
  private final QuellEngine engine;

  ConsoleLogin(Authenticator authenticator, QuellEngine engine) {
    this.authenticator = authenticator;
    this.engine = engine;
  }

  /**
   * Checks {@code user}'s password and starts a new HTTP session for it, never one the client
   * brought along (session fixation).
   */
  ConsoleUser login(HttpServletRequest request, String user, String password) {
    // Read before the check: a password changed meanwhile ends the login at its next request.
    Optional<HashCode> credential = engine.catalog().principals().credential(user);
    check(user, password, request.getRemoteAddr());
    HttpSession old = request.getSession(false);
    if (old != null) {
      old.invalidate();
    }
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    ConsoleUser caller = new ConsoleUser(user,
        Base64.getUrlEncoder().withoutPadding().encodeToString(token), credential);
    request.getSession(true).setAttribute(USER_ATTRIBUTE, caller);
    return caller;
  }

  void logout(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
  }

  /**
   * The caller of {@code request}: BASIC credentials if sent, else the HTTP session's user, who
   * must still exist and may still log in. A state-changing request of a session must carry
   * its CSRF token. Anything else is 401.
   */
  ConsoleUser caller(HttpServletRequest request, boolean changesState) {
    Optional<Authenticator.Credentials> basic =
        Authenticator.basic(request.getHeader("Authorization"));
    if (basic.isPresent()) {
      check(basic.get().user(), basic.get().password(), request.getRemoteAddr());
      return ConsoleUser.basic(basic.get().user());
    }
    HttpSession session = request.getSession(false);
    ConsoleUser user = session == null ? null
        : (ConsoleUser) session.getAttribute(USER_ATTRIBUTE);
    if (user == null) {
      throw new ConsoleException(HttpServletResponse.SC_UNAUTHORIZED,
          SqlState.INVALID_AUTHORIZATION,
          "authentication required: log in, or send HTTP BASIC credentials");
    }
    if (engine.principal(user.name()).filter(Principal::canLogin).isEmpty()) {
      session.invalidate();
      throw new ConsoleException(HttpServletResponse.SC_UNAUTHORIZED,
          SqlState.INVALID_AUTHORIZATION,
          "role " + user.name() + " may no longer log in");
    }
    // As for JDBC clients, whose BASIC password stops working once it is changed.
    if (!engine.catalog().principals().credential(user.name()).equals(user.credential())) {
      session.invalidate();
      throw new ConsoleException(HttpServletResponse.SC_UNAUTHORIZED, SqlState.INVALID_PASSWORD,
          "the password of user " + user.name() + " has changed: log in again");
    }
    if (changesState && !sameToken(user.csrfToken(), request.getHeader(CSRF_HEADER))) {
      throw new ConsoleException(HttpServletResponse.SC_FORBIDDEN, SqlState.INSUFFICIENT_PRIVILEGE,
          "missing or wrong CSRF token: send the token of this login in " + CSRF_HEADER);
    }
    return user;
  }

  private void check(String user, String password, String address) {
    LoginOutcome outcome;
    try {
      outcome = user.equals(NodePrincipal.NAME) ? LoginOutcome.WRONG_PASSWORD
          : authenticator.authenticate(user, password, address);
    } catch (QuellException e) {
      // The catalog cannot answer (a full disk): a clear refusal.
      throw new ConsoleException(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          e.sqlState(), e.getMessage());
    }
    if (outcome == LoginOutcome.LOGIN_NOT_PERMITTED) {
      throw new ConsoleException(HttpServletResponse.SC_FORBIDDEN, SqlState.INVALID_AUTHORIZATION,
          "role " + user + " is not permitted to log in");
    }
    if (outcome != LoginOutcome.ACCEPTED) {
      throw new ConsoleException(HttpServletResponse.SC_UNAUTHORIZED, SqlState.INVALID_PASSWORD,
          "password authentication failed for user " + user);
    }
  }

  private static boolean sameToken(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
