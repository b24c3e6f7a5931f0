package io.quell.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client of the web console's JSON API over real HTTP: a browser-like one that logs in and
 * keeps the session cookie, or a script's, sending BASIC on every request.
 */
final class ConsoleClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: its status, its JSON and its headers. */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    String sqlState() {
      return json.path("sqlstate").asText(null);
    }

    /** The values of each row, for listings. */
    List<JsonNode> rows() {
      List<JsonNode> rows = new ArrayList<>();
      json.path("rows").forEach(r -> rows.add(r.path("values")));
      return rows;
    }

    /** The text of {@code column} in every row. */
    List<String> column(String column) {
      return rows().stream().map(r -> r.path(column).asText(null)).toList();
    }
  }

  private final String base;
  private final HttpClient http;
  private final String basic;
  private String csrfToken;

  private ConsoleClient(String base, HttpClient.Builder http, String basic) {
    this.base = base;
    this.http = http.cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10))
        .build();
    this.basic = basic;
  }

  private ConsoleClient(int port, String basic) {
    this("http://127.0.0.1:" + port + "/console/", HttpClient.newBuilder(), basic);
  }

  /** A client without credentials, which may {@link #login}. */
  static ConsoleClient browser(int port) {
    return new ConsoleClient(port, null);
  }

  /** A client without credentials over HTTPS, trusting {@code keystore}'s certificate. */
  static ConsoleClient https(int port, Path keystore, String password) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trusted.load(in, password.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return new ConsoleClient("https://127.0.0.1:" + port + "/console/",
        HttpClient.newBuilder().sslContext(tls), null);
  }

  /** A script's client, sending {@code user}'s password with HTTP BASIC. */
  static ConsoleClient basic(int port, String user, String password) {
    return new ConsoleClient(port, "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** Logs in; the session cookie stays in this client, the CSRF token is sent with POSTs. */
  Reply login(String user, String password) throws Exception {
    Reply reply = post("api/login", JSON.createObjectNode().put("user", user)
        .put("password", password).toString());
    csrfToken = reply.status() == 200 ? reply.json().path("csrf_token").asText() : null;
    return reply;
  }

  /** Forgets the CSRF token (a forged request from another site cannot know it). */
  void forgetCsrfToken() {
    csrfToken = null;
  }

  Reply get(String path) throws Exception {
    return send(request(path).GET());
  }

  /** POSTs JSON, with this login's CSRF token if there is one. */
  Reply post(String path, String json) throws Exception {
    return post(path, json, "application/json");
  }

  Reply post(String path, String body, String contentType) throws Exception {
    HttpRequest.Builder request = request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (csrfToken != null) {
      request.header("X-CSRF-Token", csrfToken);
    }
    return send(request);
  }

  Reply cancel(String kind, String id, String message) throws Exception {
    var body = JSON.createObjectNode().put("kind", kind).put("id", id);
    if (message != null) {
      body.put("message", message);
    }
    return post("api/cancel", body.toString());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60));
    if (basic != null) {
      request.header("Authorization", basic);
    }
    return request;
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    boolean isJson = response.headers().firstValue("Content-Type").orElse("")
        .startsWith("application/json");
    JsonNode json = isJson ? JSON.readTree(body) : JSON.nullNode();
    return new Reply(response.statusCode(), json, response);
  }
}
