package io.quell.server.console;

import io.quell.client.SqlState;
import io.quell.frontend.ErrorReplies;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The console's requests, below {@code /console}: the JSON API under {@code /api/}, and the
 * page's static files (the wrapped handler) for everything else. Every API reply is JSON, an
 * error as {@code {"error", "sqlstate", "error_id"}}; a POST must send JSON (a cross-site form
 * cannot, so a browser that holds BASIC credentials for this origin cannot be made to post),
 * and one authenticated by a login session must carry its CSRF token.
 */
final class ConsoleHandler extends HandlerWrapper {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String API = "/api/";

  private final ConsoleLogin login;
  private final ConsoleApi api;
  private final ErrorReplies errors;

  ConsoleHandler(ConsoleLogin login, ConsoleApi api, ErrorReplies errors) {
    this.login = login;
    this.api = api;
    this.errors = errors;
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    // The page's scripts and styles are its own files; nothing may frame it.
    response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'; form-action 'self'");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    if (!target.startsWith(API)) {
      response.setHeader("Cache-Control", "no-cache");
      super.handle(target, baseRequest, request, response);
      return;
    }
    baseRequest.setHandled(true);
    response.setHeader("Cache-Control", "no-store");
    Object reply;
    int status = HttpServletResponse.SC_OK;
    try {
      reply = route(target.substring(API.length() - 1), request);
    } catch (ConsoleException e) {
      status = e.status();
      reply = error(e);
    } catch (RuntimeException e) {
      ConsoleException described = ConsoleException.unexpected(
          (AvaticaClientRuntimeException) errors.clientException(e));
      status = described.status();
      reply = error(described);
    }
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    JSON.writeValue(response.getOutputStream(), reply);
  }

  private Object route(String path, HttpServletRequest request) throws IOException {
    String method = request.getMethod();
    boolean post = method.equals("POST");
    if (!post && !method.equals("GET")) {
      throw new ConsoleException(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          SqlState.FEATURE_NOT_SUPPORTED,
          "method " + method + " is not supported; the API takes GET and POST");
    }
    if (path.equals("/login")) {
      expect(post, "POST", path);
      JsonNode body = body(request);
      return api.me(login.login(request, field(body, "user"), field(body, "password")));
    }
    if (post) {
      // Before the caller is looked at: a forged form post is refused whoever it claims to be.
      jsonOnly(request);
    }
    ConsoleUser user = login.caller(request, post);
    switch (path) {
      case "/me":
        expect(!post, "GET", path);
        return api.me(user);
      case "/logout":
        expect(post, "POST", path);
        login.logout(request);
        return Map.of("logged_out", true);
      case "/sessions":
        expect(!post, "GET", path);
        return api.sessions(user, request);
      case "/queries":
        expect(!post, "GET", path);
        return api.queries(user, request);
      case "/cancellations":
        expect(!post, "GET", path);
        return api.cancellations(user, request);
      case "/members":
        expect(!post, "GET", path);
        return api.members(user, request);
      case "/statements":
        expect(!post, "GET", path);
        return api.statements(user, request);
      case "/overview":
        expect(!post, "GET", path);
        return api.overview();
      case "/cancel":
        expect(post, "POST", path);
        return api.cancel(user, body(request));
      default:
        if (path.startsWith("/sessions/")) {
          expect(!post, "GET", path);
          return api.session(user, path.substring("/sessions/".length()));
        }
        throw new ConsoleException(HttpServletResponse.SC_NOT_FOUND, SqlState.UNDEFINED_OBJECT,
            "no API endpoint /console/api" + path);
    }
  }

  private static void expect(boolean right, String method, String path) {
    if (!right) {
      throw new ConsoleException(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          SqlState.FEATURE_NOT_SUPPORTED,
          "/console/api" + path + " takes " + method);
    }
  }

  private static void jsonOnly(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ConsoleException(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
          SqlState.FEATURE_NOT_SUPPORTED,
          "a POST must send Content-Type: application/json");
    }
  }

  private static JsonNode body(HttpServletRequest request) throws IOException {
    jsonOnly(request);
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw ConsoleException.badRequest("the body is longer than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ConsoleException.badRequest("the body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static String field(JsonNode body, String name) {
    JsonNode v = body == null ? null : body.get(name);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw ConsoleException.badRequest("the body must be a JSON object with text fields "
          + "user and password");
    }
    return v.textValue();
  }

  private static Map<String, Object> error(ConsoleException e) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("error", e.getMessage());
    reply.put("sqlstate", e.sqlState());
    if (e.errorId() != 0) {
      reply.put("error_id", e.errorId());
    }
    return reply;
  }
}
