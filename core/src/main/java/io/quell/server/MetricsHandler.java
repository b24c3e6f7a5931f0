package io.quell.server;

import io.quell.error.QuellException;
import io.quell.metrics.NodeMetrics;
import io.quell.server.login.Authenticator;
import io.quell.server.login.LoginOutcome;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: the node's metrics in Prometheus' text format. Without a login by
 * default, as they hold counts only (no statement, user or id); with {@code --metrics-auth}
 * only for a user who logs in with BASIC authentication, like the Avatica endpoint's.
 */
final class MetricsHandler extends AbstractHandler {
  static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final NodeMetrics metrics;
  /** Null when no login is needed. */
  private final Authenticator authenticator;

  MetricsHandler(NodeMetrics metrics, Authenticator authenticator) {
    this.metrics = metrics;
    this.authenticator = authenticator;
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    if (!HttpMethod.GET.is(request.getMethod())) {
      response.setHeader("Allow", "GET");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          "the metrics are read with GET");
      return;
    }
    if (authenticator != null && !loggedIn(request, response)) {
      return;
    }
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(CONTENT_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Whether the request's user logged in; if not, the refusal has been sent. */
  private boolean loggedIn(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<Authenticator.Credentials> basic =
        Authenticator.basic(request.getHeader("Authorization"));
    LoginOutcome outcome;
    try {
      outcome = basic.isEmpty() ? LoginOutcome.WRONG_PASSWORD
          : authenticator.authenticate(basic.get().user(), basic.get().password(),
              request.getRemoteAddr());
    } catch (QuellException e) {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          e.getMessage() + " (SQLSTATE " + e.sqlState().code() + ")");
      return false;
    }
    if (outcome == LoginOutcome.LOGIN_NOT_PERMITTED) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN,
          "role is not permitted to log in (SQLSTATE 28000)");
      return false;
    }
    if (outcome != LoginOutcome.ACCEPTED) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"Quell\", charset=\"UTF-8\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED,
          "password authentication failed (SQLSTATE 28P01)");
      return false;
    }
    return true;
  }
}
