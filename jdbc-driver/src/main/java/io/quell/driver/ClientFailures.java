package io.quell.driver;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;

import java.sql.SQLException;

/**
 * Failures that Avatica's client reports unchecked, as the SQLExceptions with a SQLSTATE that
 * JDBC callers expect: errors the server described, HTTP refusals of the credentials, whether
 * at login or on a later request of an open connection (after a password change), and of plain
 * HTTP by a TLS server.
 */
final class ClientFailures {
  private ClientFailures() {
  }

  /** The SQLException for {@code e}; null if {@code e} is no failure the server reported. */
  static SQLException translate(RuntimeException e, String user) {
    if (e instanceof AvaticaClientRuntimeException remote) {
      return new SQLException(remote.getMessage().replaceFirst("^Remote driver error: ", ""),
          remote.getSqlState(), remote);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("HTTP/401")) {
      return new SQLException("password authentication failed for user \"" + user + "\"",
          "28P01", e);
    }
    if (message.contains("HTTP/403")) {
      return new SQLException("role \"" + user + "\" is not permitted to log in", "28000", e);
    }
    if (message.contains("HTTP/426")) {
      return new SQLException("the server accepts TLS connections only; connect with tls=true",
          "08004", e);
    }
    return null;
  }
}
