package io.quell.server;

import io.quell.catalog.UserCatalog;

import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * HTTP BASIC authentication of every request against the user catalog, in front of Avatica's
 * handler. The authenticated user and the client's {@code host:port} travel to the engine in a
 * {@link RequestContext}; a request that fails gets 401 (28P01), or 403 (28000) when the password
 * is right but the role may not log in, and never reaches the engine.
 */
final class AuthenticatingHandler extends HandlerWrapper implements AvaticaHandler {
  private final AvaticaHandler avatica;
  private final CredentialCache credentials;

  AuthenticatingHandler(AvaticaHandler avatica, UserCatalog catalog) {
    this.avatica = avatica;
    this.credentials = new CredentialCache(catalog);
    setHandler(avatica);
  }

  @Override public void setServerRpcMetadata(RpcMetadataResponse metadata) {
    avatica.setServerRpcMetadata(metadata);
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    Optional<String[]> basic = basicCredentials(request.getHeader("Authorization"));
    CredentialCache.Outcome outcome = basic.isEmpty() ? CredentialCache.Outcome.WRONG_PASSWORD
        : credentials.authenticate(basic.get()[0], basic.get()[1]);
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
        request.getRemoteAddr() + ":" + request.getRemotePort());
    try (RequestContext.Scope ignored = context.enter()) {
      super.handle(target, baseRequest, request, response);
    }
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
