package io.quell.driver;

import io.quell.client.ServerFailure;

import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaCommonsHttpClientImpl;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;

/**
 * Avatica's HTTP client (its pool, TLS and BASIC authentication) with Quell's reading of the
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
    try {
      if (httpHost == null) {
        httpHost = RoutingSupport.determineHost(post);
      }
      try (ClassicHttpResponse response = client.executeOpen(httpHost, post, context)) {
        int status = response.getCode();
        byte[] body = EntityUtils.toByteArray(response.getEntity());
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

  /** The server's description of a failed request. */
  private SQLException errorReply(byte[] body) {
    Service.Response response;
    try {
      response = json ? JsonService.MAPPER.readValue(body, Service.Response.class)
          : new ProtobufTranslationImpl().parseResponse(body);
    } catch (IOException | RuntimeException e) {
      return new SQLException("the server's error reply cannot be read: " + e, "08P01", e);
    }
    if (response instanceof Service.ErrorResponse error) {
      return new SQLException(error.errorMessage, error.sqlState, error.errorCode);
    }
    return new SQLException("the server answered HTTP 500 without an error reply", "08P01");
  }

  /** A request the HTTP layer refused, before the server looked at it. */
  private SQLException refusal(int status) {
    return switch (status) {
      case HttpURLConnection.HTTP_UNAUTHORIZED -> new SQLException(
          "password authentication failed for user \"" + user + "\"", "28P01");
      case HttpURLConnection.HTTP_FORBIDDEN -> new SQLException(
          "role \"" + user + "\" is not permitted to log in", "28000");
      case 426 -> new SQLException(
          "the server accepts TLS connections only; connect with tls=true", "08004");
      case HttpURLConnection.HTTP_UNAVAILABLE -> new SQLException(
          "the server cannot serve requests now (HTTP 503)", "57P03");
      default -> new SQLException(
          "the server at " + uri + " answered HTTP " + status + ", which Quell does not send",
          "08P01");
    };
  }

  /**
   * JDBC's "close the connection and open another": the application's connection, not a
   * system behind the server, is gone.
   */
  private ServerFailure unreachable(Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ServerFailure(new SQLRecoverableException("connection to the server at " + uri
        + " failed: " + reason, "08006", e));
  }
}
