package io.quell.server;

import io.quell.catalog.NodePrincipal;
import io.quell.catalog.UserCatalog;
import io.quell.error.QuellException;
import io.quell.frontend.RequestContext;

import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * HTTP BASIC authentication of every request against the user catalog, in front of Avatica's
 * handler. The authenticated user and the client's {@code host:port} travel to the engine in a
 * {@link RequestContext}; a request that fails gets 401 (28P01), or 403 (28000) when the password
 * is right but the role may not log in, and never reaches the engine. On a cluster member, the
 * {@link NodePrincipal} authenticates with the cluster secret and nothing else; without a secret
 * it cannot log in at all. Password guessing is slowed by a {@link LoginThrottle}. A server
 * that serves TLS answers a plain HTTP request on its port 426 (08004) before reading any
 * credential.
 */
final class AuthenticatingHandler extends HandlerWrapper implements AvaticaHandler {
  private final AvaticaHandler avatica;
  private final CredentialCache credentials;
  private final LoginThrottle throttle;
  private final byte[] clusterSecret;
  private final boolean tlsOnly;

  /** {@code clusterSecret} is null on a single node. */
  AuthenticatingHandler(AvaticaHandler avatica, UserCatalog catalog, LoginThrottle throttle,
      String clusterSecret, boolean tlsOnly) {
    this.avatica = avatica;
    this.tlsOnly = tlsOnly;
    this.credentials = new CredentialCache(catalog);
    this.throttle = throttle;
    this.clusterSecret = clusterSecret == null ? null
        : clusterSecret.getBytes(StandardCharsets.UTF_8);
    setHandler(avatica);
  }

  @Override public void setServerRpcMetadata(RpcMetadataResponse metadata) {
    avatica.setServerRpcMetadata(metadata);
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    if (tlsOnly && !request.isSecure()) {
      baseRequest.setHandled(true);
      response.sendError(HttpStatus.UPGRADE_REQUIRED_426,
          "this server accepts TLS connections only (SQLSTATE 08004)");
      return;
    }
    Optional<String[]> basic = basicCredentials(request.getHeader("Authorization"));
    CredentialCache.Outcome outcome;
    try {
      outcome = basic.isEmpty() ? CredentialCache.Outcome.WRONG_PASSWORD
          : authenticate(basic.get()[0], basic.get()[1], request.getRemoteAddr());
    } catch (QuellException e) {
      // The catalog cannot answer (a full disk): a clear refusal, not a broken response.
      baseRequest.setHandled(true);
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          e.getMessage() + " (SQLSTATE " + e.sqlState().code() + ")");
      return;
    }
    if (outcome == CredentialCache.Outcome.LOGIN_NOT_PERMITTED) {
      baseRequest.setHandled(true);
      response.sendError(HttpServletResponse.SC_FORBIDDEN,
          "role is not permitted to log in (SQLSTATE 28000)");
      return;
    }
    if (outcome != CredentialCache.Outcome.ACCEPTED) {
      baseRequest.setHandled(true);
      response.setHeader("WWW-Authenticate", "Basic realm=\"Quell\", charset=\"UTF-8\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED,
          "password authentication failed (SQLSTATE 28P01)");
      return;
    }
    RequestContext context = new RequestContext(basic.get()[0],
        request.getRemoteAddr() + ":" + request.getRemotePort(),
        () -> isOpen(baseRequest.getHttpChannel().getEndPoint()));
    try (RequestContext.Scope ignored = context.enter()) {
      super.handle(target, baseRequest, request, response);
    }
  }

  /**
   * Whether the client of a request still being handled is connected. Jetty does not read from
   * a connection while its request is being handled, so a client that closed its socket or
   * died goes unnoticed until the response is written; like PostgreSQL's
   * client_connection_check_interval, this reads without blocking to see the end of stream.
   * An Avatica client sends nothing while it waits for its response, so no request data is
   * consumed.
   */
  private static boolean isOpen(EndPoint endPoint) {
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return false;
    }
    try {
      return endPoint.fill(BufferUtil.allocate(1)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The node principal knows the cluster secret; everyone else is checked by the catalog, a
   * password neither verified recently nor right before a password change through the
   * throttle of its user and client address.
   */
  private CredentialCache.Outcome authenticate(String user, String password, String address) {
    if (user.equals(NodePrincipal.NAME)) {
      return clusterSecret != null && MessageDigest.isEqual(clusterSecret,
          password.getBytes(StandardCharsets.UTF_8)) ? CredentialCache.Outcome.ACCEPTED
          : CredentialCache.Outcome.WRONG_PASSWORD;
    }
    Optional<CredentialCache.Outcome> remembered = credentials.remembered(user, password);
    if (remembered.isPresent()) {
      return remembered.get();
    }
    if (credentials.isStale(user, password)) {
      // Not a guess: the clients still holding an old password must not lock out the new one.
      return credentials.verify(user, password);
    }
    if (!throttle.admit(user, address)) {
      return CredentialCache.Outcome.WRONG_PASSWORD;
    }
    CredentialCache.Outcome outcome = CredentialCache.Outcome.WRONG_PASSWORD;
    try {
      // The check this one waited for may have verified the same password.
      outcome = credentials.remembered(user, password)
          .orElseGet(() -> credentials.verify(user, password));
    } finally {
      if (outcome == CredentialCache.Outcome.WRONG_PASSWORD) {
        throttle.failed(user, address);
      } else {
        throttle.succeeded(user, address);
      }
    }
    return outcome;
  }

  /** User and password of a BASIC {@code Authorization} header. */
  private static Optional<String[]> basicCredentials(String header) {
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
    return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }
}
