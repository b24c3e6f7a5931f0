package io.quell.cluster;

import io.quell.catalog.NodePrincipal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls from this node to its peers ({@link PeerProtocol}), authenticated as the
 * {@link NodePrincipal} with the cluster secret, over HTTPS when the members speak TLS (the
 * secret never crosses the network in clear then, and the peer's certificate must name its
 * advertised host). Connections are kept alive and reused by the JDK's client. Connecting and
 * every call are each bounded by the peer timeout, so a peer that accepts but never answers
 * costs a thread for that long, no more.
 */
final class PeerClient {
  private final String secret;
  private final String authorization;
  private final Duration timeout;
  private final PeerTrust trust;
  private final HttpClient http;

  /** {@code trust} null means plain HTTP. */
  PeerClient(String secret, Duration timeout, PeerTrust trust) {
    this.secret = secret;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (NodePrincipal.NAME + ":" + secret).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.trust = trust;
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout);
    if (trust != null) {
      builder.sslContext(trusting(trust.truststore(), trust.password()));
    }
    this.http = builder.build();
  }

  /** A client with the same credentials whose connects and calls are bounded by {@code timeout}. */
  PeerClient withTimeout(Duration timeout) {
    return new PeerClient(secret, timeout, trust);
  }

  /**
   * Makes {@code call} of member {@code member} at {@code address}. Fails with 08006 if the
   * member cannot be reached, does not answer in time, or is another node (a member that
   * advertised a loopback or shared address would otherwise be asked twice for that node's
   * rows); with the member's SQLSTATE if it answers with a failure.
   */
  <Q, R> R call(long member, String address, PeerProtocol.Call<Q, R> call, Q request) {
    HttpResponse<byte[]> response;
    try {
      response = send(HttpRequest.newBuilder(
              URI.create((trust == null ? "http://" : "https://") + address + PeerProtocol.PATH
                  + call.name()))
          .timeout(timeout)
          .header("Authorization", authorization)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(
              PeerProtocol.JSON.writeValueAsBytes(request)))
          .build());
    } catch (IOException e) {
      throw new QuellException(SqlState.CONNECTION_FAILURE,
          "cluster member at " + address + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuellException(SqlState.QUERY_CANCELED,
          "canceling statement due to user request");
    }
    OptionalLong answered = response.headers().firstValueAsLong(PeerProtocol.NODE_HEADER);
    if (answered.isEmpty()) {
      // Whatever else listens there, or a refused login.
      throw new QuellException(SqlState.CONNECTION_FAILURE, "cluster member at " + address
          + " failed: HTTP " + response.statusCode() + " to " + call.name()
          + ", not a Quell member's reply");
    }
    if (answered.getAsLong() != member) {
      throw new QuellException(SqlState.CONNECTION_FAILURE, "the address " + address
          + " of member " + member + " reaches node " + answered.getAsLong()
          + "; give each member its own --advertise-address");
    }
    try {
      if (response.statusCode() == 200) {
        return PeerProtocol.JSON.readValue(response.body(), call.reply());
      }
      PeerProtocol.Failure failure =
          PeerProtocol.JSON.readValue(response.body(), PeerProtocol.Failure.class);
      throw new QuellException(
          SqlState.ofCode(failure.sqlstate()).orElse(SqlState.INTERNAL_ERROR),
          "cluster member at " + address + " failed: " + failure.message());
    } catch (IOException e) {
      throw new QuellException(SqlState.CONNECTION_FAILURE, "cluster member at " + address
          + " failed: its reply to " + call.name() + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Sends {@code request}, once more on a new connection if it fails but not by running out of
   * time: a kept-alive connection that the peer closed as the call went out fails at once, and
   * must not cost the call (the pool of Avatica connections before did the same). A refused
   * connection costs nothing twice.
   */
  private HttpResponse<byte[]> send(HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  /** TLS trusting the certificates of {@code store}: trusted entries and key entries' own. */
  private static SSLContext trusting(File store, String password) {
    try {
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(KeyStore.getInstance(store, password.toCharArray()));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new QuellException(SqlState.CANNOT_CONNECT,
          "cannot read the truststore " + store + " for the cluster's peers: " + e.getMessage(),
          e);
    }
  }
}
