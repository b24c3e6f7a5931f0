package io.quell.cluster;

import io.quell.catalog.NodePrincipal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.Driver.Serialization;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Pooled Avatica JDBC connections from this node to its peers, authenticated as the
 * {@link NodePrincipal} with the cluster secret, over HTTPS when the members speak TLS (the
 * secret never crosses the network in clear then). Every HTTP request is bounded by the peer
 * timeout, so a peer that accepts but never answers costs a thread for that long, no more.
 */
final class PeerClient implements AutoCloseable {
  /** Work done on one peer connection. */
  @FunctionalInterface
  interface Call<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String secret;
  private final Serialization serialization;
  private final Duration timeout;
  private final PeerTrust trust;
  private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();

  /** {@code trust} null means plain HTTP. */
  PeerClient(String secret, Serialization serialization, Duration timeout,
      PeerTrust trust) {
    this.secret = secret;
    this.serialization = serialization;
    this.timeout = timeout;
    this.trust = trust;
  }

  /** A client with the same credentials whose every request is bounded by {@code timeout}. */
  PeerClient withTimeout(Duration timeout) {
    return new PeerClient(secret, serialization, timeout, trust);
  }

  /**
   * Runs {@code call} on a connection to the peer at {@code address}. A pooled connection the
   * peer has meanwhile expired fails once and is replaced by a fresh one.
   */
  <T> T call(String address, Call<T> call) {
    Connection pooled = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>()).poll();
    if (pooled != null) {
      try {
        return callAndReturn(address, pooled, call);
      } catch (SQLException | RuntimeException e) {
        // Fall through to a fresh connection.
      }
    }
    try {
      return callAndReturn(address, open(address), call);
    } catch (SQLException | RuntimeException e) {
      throw new QuellException(SqlState.CONNECTION_FAILURE,
          "cluster member at " + address + " failed: " + e.getMessage(), e);
    }
  }

  private <T> T callAndReturn(String address, Connection connection, Call<T> call)
      throws SQLException {
    try {
      T result = call.run(connection);
      idle.get(address).push(connection);
      return result;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private Connection open(String address) throws SQLException {
    Properties info = new Properties();
    info.setProperty("url", (trust == null ? "http://" : "https://") + address);
    if (trust != null) {
      info.setProperty("truststore", trust.truststore().getPath());
      info.setProperty("truststore_password", trust.password());
    }
    info.setProperty("serialization", serialization.name());
    info.setProperty("authentication", "BASIC");
    info.setProperty("avatica_user", NodePrincipal.NAME);
    info.setProperty("avatica_password", secret);
    info.setProperty("applicationName", NodePrincipal.APPLICATION);
    info.setProperty("http_connection_timeout", Long.toString(timeout.toMillis()));
    info.setProperty("http_response_timeout", Long.toString(timeout.toMillis()));
    try {
      return new Driver().connect("jdbc:avatica:remote:", info);
    } catch (RuntimeException e) {
      // Avatica's client raises a refused connect unchecked.
      throw new SQLException(e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // The peer is gone or has expired the connection; nothing left to release.
    }
  }

  @Override public void close() {
    idle.values().forEach(pool -> pool.forEach(PeerClient::closeQuietly));
    idle.clear();
  }
}
