package io.quell.server;

import io.quell.server.console.Console;

import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerCollection;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Every request to the node's port: {@value MetricsHandler#PATH} the metrics, below
 * {@value Console#PATH} the web console, anything else
 * the Avatica endpoint (or a cluster member's peer calls) behind its BASIC authentication. A server that serves TLS answers a
 * plain HTTP request on its port 426 (08004) before either reads any credential.
 */
final class HttpEntry extends HandlerCollection implements AvaticaHandler {
  private final AvaticaHandler avatica;
  private final Handler console;
  private final Handler metrics;
  private final boolean tlsOnly;

  HttpEntry(AvaticaHandler avatica, Handler console, Handler metrics, boolean tlsOnly) {
    super(avatica, console, metrics);
    this.avatica = avatica;
    this.console = console;
    this.metrics = metrics;
    this.tlsOnly = tlsOnly;
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
    if (target.equals(MetricsHandler.PATH)) {
      metrics.handle(target, baseRequest, request, response);
      return;
    }
    boolean toConsole = target.equals(Console.PATH) || target.startsWith(Console.PATH + "/");
    (toConsole ? console : avatica).handle(target, baseRequest, request, response);
  }
}
