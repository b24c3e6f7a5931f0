package io.quell.server;

import io.quell.catalog.NodePrincipal;
import io.quell.cluster.PeerEndpoint;
import io.quell.error.QuellException;
import io.quell.frontend.RequestContext;
import io.quell.server.login.Authenticator;
import io.quell.server.login.LoginOutcome;

import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * HTTP BASIC authentication of every request against the user catalog, in front of Avatica's
 * handler and, on a cluster member, of the endpoint its peers call. The authenticated user and
 * the client's {@code host:port} travel to the engine in a {@link RequestContext}; a request
 * that fails gets 401 (28P01), or 403 (28000) when the password is right but the role may not
 * log in, and never reaches the engine. Passwords are checked (and guessing slowed) by the
 * server's one {@link Authenticator}. Below {@link PeerEndpoint#PATH} only the node principal
 * is let in, and it nowhere else: a user cannot make peer calls, and a member runs no SQL on
 * another.
 */
final class AuthenticatingHandler extends HandlerWrapper implements AvaticaHandler {
  private final AvaticaHandler avatica;
  private final Handler peers;
  private final Authenticator authenticator;

  /**
   * {@code peers} is null on a single node, where no request authenticates as the node
   * principal (there is no cluster secret).
   */
  AuthenticatingHandler(AvaticaHandler avatica, Handler peers, Authenticator authenticator) {
    this.avatica = avatica;
    this.peers = peers;
    this.authenticator = authenticator;
    setHandler(avatica);
    if (peers != null) {
      addBean(peers);
    }
  }

  @Override public void setServerRpcMetadata(RpcMetadataResponse metadata) {
    avatica.setServerRpcMetadata(metadata);
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    Optional<Authenticator.Credentials> basic =
        Authenticator.basic(request.getHeader("Authorization"));
    LoginOutcome outcome;
    try {
      outcome = basic.isEmpty() ? LoginOutcome.WRONG_PASSWORD
          : authenticator.authenticate(basic.get().user(), basic.get().password(),
              request.getRemoteAddr());
    } catch (QuellException e) {
      // The catalog cannot answer (a full disk): a clear refusal, not a broken response.
      baseRequest.setHandled(true);
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          e.getMessage() + " (SQLSTATE " + e.sqlState().code() + ")");
      return;
    }
    if (outcome == LoginOutcome.LOGIN_NOT_PERMITTED) {
      baseRequest.setHandled(true);
      response.sendError(HttpServletResponse.SC_FORBIDDEN,
          "role is not permitted to log in (SQLSTATE 28000)");
      return;
    }
    if (outcome != LoginOutcome.ACCEPTED) {
      baseRequest.setHandled(true);
      response.setHeader("WWW-Authenticate", "Basic realm=\"Quell\", charset=\"UTF-8\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED,
          "password authentication failed (SQLSTATE 28P01)");
      return;
    }
    boolean toPeers = target.startsWith(PeerEndpoint.PATH);
    if (toPeers != basic.get().user().equals(NodePrincipal.NAME)) {
      baseRequest.setHandled(true);
      response.sendError(HttpServletResponse.SC_FORBIDDEN, toPeers
          ? "only cluster members may call " + PeerEndpoint.PATH + " (SQLSTATE 28000)"
          : "the node principal may only make peer calls (SQLSTATE 28000)");
      return;
    }
    if (toPeers) {
      peers.handle(target, baseRequest, request, response);
      return;
    }
    RequestContext context = new RequestContext(basic.get().user(),
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
}
