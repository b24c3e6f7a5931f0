package io.quell.driver;

import io.quell.client.ServerFailure;
import io.quell.client.SqlState;

import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaCommonsHttpClientImpl;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Avatica's HTTP client (its pool and TLS) with Quell's reading of the
 * answers: an error reply (HTTP 500) becomes the server's message, SQLSTATE and error id; a
 * refusal is read from its HTTP status code (401 wrong password 28P01, 403 no LOGIN 28000, 426
 * TLS required 08004, 503 57P03); a server that cannot be reached is 08006. Avatica's own
 * client retries 503 and a missing response forever, so a client that forgot {@code tls=true}
 * or whose server went away used to hang; this one sends each request once. Named by the
 * {@code httpclient_impl} property, which Avatica instantiates by name with the server's URL.
 */
public final class QuellHttpClient extends AvaticaCommonsHttpClientImpl {
  private boolean json;
  private String user;
  /** BASIC credentials, sent with every request: a Quell server always asks for them. */
  private String authorization;

  public QuellHttpClient(URL url) {
    super(url);
  }

  /**
   * Takes Avatica's HTTP pool without its limits. Avatica shares one pool among every
   * connection of the process (100 HTTP connections, 25 to a server), so a 26th statement, or
   * the cancel of a running one, waited for one of 25 others to end; a JDBC connection, like a
   * PostgreSQL client's socket, must not depend on the others. The pool still opens an HTTP
   * connection only for a request that finds none idle, so there are never more than the
   * requests in flight.
   */
  @Override public void setHttpClientPool(PoolingHttpClientConnectionManager pool,
      ConnectionConfig config) {
    pool.setMaxTotal(Integer.MAX_VALUE);
    pool.setDefaultMaxPerRoute(Integer.MAX_VALUE);
    super.setHttpClientPool(pool, config);
    this.json = "json".equalsIgnoreCase(config.serialization());
    this.user = config.avaticaUser();
  }

  /**
   * HttpClient without the parts a Quell server never uses (redirects, compression, cookies,
   * retries: see {@link #send}) and with BASIC credentials sent up front rather than
   * negotiated: each of those steps ran for every statement and was a third of the client's
   * CPU time on a cached ad-hoc statement.
   */
  @Override protected void initializeClient(PoolingHttpClientConnectionManager pool,
      ConnectionConfig config) {
    this.connectTimeout = config.getHttpConnectionTimeout();
    this.responseTimeout = config.getHttpResponseTimeout();
    this.client = HttpClients.custom().setConnectionManager(pool)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setConnectTimeout(connectTimeout, TimeUnit.MILLISECONDS)
            .setResponseTimeout(responseTimeout, TimeUnit.MILLISECONDS).build())
        .disableRedirectHandling().disableContentCompression().disableCookieManagement()
        .disableAutomaticRetries().disableAuthCaching().build();
    this.context = HttpClientContext.create();
  }

  @Override public void setUsernamePassword(AuthenticationType authType, String username,
      String password) {
    if (authType != AuthenticationType.BASIC) {
      super.setUsernamePassword(authType, username, password);
      return;
    }
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends {@code request} once. A request that fails on its way is not sent again: once it
   * may have reached the server, sending it again could run a statement twice, and would keep
   * alive, on a new connection, a session whose client is gone. Stale pooled connections, the
   * usual reason to resend, are found before a request is written: the pool checks one that
   * has been idle for 2 s (HttpClient's default), far below the 30 s after which the server
   * (Jetty's default) closes an idle one.
   */
  @Override public byte[] send(byte[] request) {
    HttpPost post = new HttpPost(uri);
    post.setEntity(new ByteArrayEntity(request, ContentType.APPLICATION_OCTET_STREAM));
    if (authorization != null) {
      post.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    try {
      if (httpHost == null) {
        httpHost = RoutingSupport.determineHost(post);
      }
      try (ClassicHttpResponse response = client.executeOpen(httpHost, post, context)) {
        int status = response.getCode();
        byte[] body = body(response.getEntity());
        if (status == HttpURLConnection.HTTP_OK) {
          userToken = context.getUserToken();
          return body;
        }
        throw new ServerFailure(status == HttpURLConnection.HTTP_INTERNAL_ERROR
            ? errorReply(body) : refusal(status));
      }
    } catch (IOException | HttpException e) {
      throw unreachable(e);
    }
  }

  /**
   * The whole body, read into one array of its length: {@link EntityUtils#toByteArray} copies
   * it through two 4 KB buffers, a fifth of what a client allocated for a small statement.
   */
  private static byte[] body(HttpEntity entity) throws IOException {
    long length = entity.getContentLength();
    // closing reads to the end of the body, which hands the HTTP connection back to the pool
    try (InputStream in = entity.getContent()) {
      return length < 0 || length > Integer.MAX_VALUE ? in.readAllBytes()
          : in.readNBytes((int) length);
    }
  }

  /** The server's description of a failed request. */
  private SQLException errorReply(byte[] body) {
    Service.Response response;
    try {
      response = json ? JsonService.MAPPER.readValue(body, Service.Response.class)
          : new ProtobufTranslationImpl().parseResponse(body);
    } catch (IOException | RuntimeException e) {
      return new SQLException("the server's error reply cannot be read: " + e, SqlState.PROTOCOL_VIOLATION.code(), e);
    }
    if (response instanceof Service.ErrorResponse error) {
      return new SQLException(error.errorMessage, error.sqlState, error.errorCode);
    }
    return new SQLException("the server answered HTTP 500 without an error reply", SqlState.PROTOCOL_VIOLATION.code());
  }

  /** A request the HTTP layer refused, before the server looked at it. */
  private SQLException refusal(int status) {
    return switch (status) {
      case HttpURLConnection.HTTP_UNAUTHORIZED -> new SQLException(
          "password authentication failed for user \"" + user + "\"", SqlState.INVALID_PASSWORD.code());
      case HttpURLConnection.HTTP_FORBIDDEN -> new SQLException(
          "role \"" + user + "\" is not permitted to log in", SqlState.INVALID_AUTHORIZATION.code());
      case 426 -> new SQLException(
          "the server accepts TLS connections only; connect with tls=true", SqlState.CONNECTION_REJECTED.code());
      case HttpURLConnection.HTTP_UNAVAILABLE -> new SQLException(
          "the server cannot serve requests now (HTTP 503)", SqlState.CANNOT_CONNECT_NOW.code());
      default -> new SQLException(
          "the server at " + uri + " answered HTTP " + status + ", which Quell does not send",
          SqlState.PROTOCOL_VIOLATION.code());
    };
  }

  /**
   * JDBC's "close the connection and open another": the application's connection, not a
   * system behind the server, is gone.
   */
  private ServerFailure unreachable(Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ServerFailure(new SQLRecoverableException("connection to the server at " + uri
        + " failed: " + reason, SqlState.CONNECTION_FAILURE.code(), e));
  }
}
