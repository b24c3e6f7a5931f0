package io.quell.server;

import io.quell.client.ServerFailure;

import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.Driver.Serialization;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code quell drain}: drains a running node through SQL, as an admin ({@code DRAIN NODE} on a
 * connection to that node), then waits until the node has stopped. The statement is the
 * interface, so a drain is authenticated, privileged and reachable exactly as SQL is; this
 * command only adds the waiting a service manager or a rolling restart needs.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
    description = "Drains a running node (new sessions refused, running queries given the "
        + "node's --drain-timeout, the rest cancelled) and waits until it has stopped.")
final class DrainCommand implements Callable<Integer> {
  private static final long POLL_MILLIS = 200;

  @Option(names = "--host", description = "the node's address (default: ${DEFAULT-VALUE})")
  String host = "localhost";

  @Option(names = "--port", description = "the node's port (default: ${DEFAULT-VALUE})")
  int port = 8765;

  @Option(names = "--user", description = "an admin (default: ${DEFAULT-VALUE})")
  String user = "root";

  @Option(names = "--password", description = "the user's password (default: env "
      + "QUELL_PASSWORD)")
  String password = System.getenv("QUELL_PASSWORD");

  @Option(names = "--tls-truststore", description = "trust store for a node that serves HTTPS")
  File truststore;

  @Option(names = "--tls-truststore-password", description = "its password (default: env "
      + "QUELL_TLS_TRUSTSTORE_PASSWORD)")
  String truststorePassword = System.getenv("QUELL_TLS_TRUSTSTORE_PASSWORD");

  @Option(names = "--serialization", description = "PROTOBUF or JSON, as the node speaks "
      + "(default: ${DEFAULT-VALUE})")
  Serialization serialization = Serialization.PROTOBUF;

  @Option(names = "--wait", description = "seconds to wait for the node to stop "
      + "(default: ${DEFAULT-VALUE})")
  long waitSeconds = 120;

  @Override public Integer call() throws InterruptedException {
    Connection connection = null;
    try {
      connection = connect();
      connection.createStatement().execute("DRAIN NODE");
    } catch (SQLException | RuntimeException e) {
      SQLException failure = ServerFailure.unwrap(e);
      System.err.println("quell drain: " + failure.getMessage() + " (SQLSTATE "
          + failure.getSQLState() + ")");
      return 1;
    } finally {
      closeQuietly(connection);
    }
    System.out.println("Draining " + host + ":" + port + " ...");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    while (System.nanoTime() < deadline) {
      if (stopped()) {
        System.out.println("Drained and stopped " + host + ":" + port);
        return 0;
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
    System.err.println("quell drain: " + host + ":" + port + " still answers after "
        + waitSeconds + " s");
    return 3;
  }

  /**
   * Whether the node no longer takes connections: refused by the operating system once it has
   * stopped, while a draining node still accepts them (and refuses sessions with 57P03).
   */
  private boolean stopped() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) POLL_MILLIS * 5);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes {@code connection}, whose session a drain that ran at once has already ended. */
  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException ignored) {
        // the node ended the session itself
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties info = new Properties();
    info.setProperty("url", (truststore == null ? "http://" : "https://") + host + ":" + port);
    if (truststore != null) {
      info.setProperty("truststore", truststore.getPath());
      info.setProperty("truststore_password", truststorePassword);
    }
    info.setProperty("serialization", serialization.name());
    info.setProperty("authentication", "BASIC");
    info.setProperty("avatica_user", user);
    info.setProperty("avatica_password", password == null ? "" : password);
    return new Driver().connect("jdbc:avatica:remote:", info);
  }
}
