package io.quell.client;

import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Quell JDBC driver: Avatica's remote driver with Quell's connections, statements and result
 * sets ({@link QuellJdbcFactory}), whose {@code Statement.cancel()} and
 * {@code setQueryTimeout()} stop the query on the server and whose failures are the server's
 * own errors. Its subclasses differ only in how Avatica's client reaches the server:
 * {@code jdbc:quell://} over HTTP (the jdbc-driver module), {@code jdbc:quell:embedded:} in
 * the same JVM (core), so a cancel takes the same route, and is audited the same way, on both.
 */
public abstract class QuellClientDriver extends org.apache.calcite.avatica.remote.Driver {
  /** The SQLSTATEs of a server that another server of the URL may stand in for. */
  private static final Set<String> SKIPPED = Set.of(SqlState.CANNOT_CONNECT.code(), SqlState.CONNECTION_FAILURE.code(), SqlState.CANNOT_CONNECT_NOW.code());

  @Override protected AvaticaFactory createFactory() {
    return new QuellJdbcFactory();
  }

  @Override protected DriverVersion createDriverVersion() {
    return DriverVersion.load(QuellClientDriver.class, "io-quell-jdbc.properties",
        "Quell JDBC Driver", "unknown version", "Quell", "unknown version");
  }

  /**
   * The servers {@code url}, which starts with this driver's prefix, names, in the order to try
   * them, each as Avatica's connection properties completed from the caller's {@code info}.
   */
  protected abstract List<Properties> connectionProperties(String url, Properties info)
      throws SQLException;

  /**
   * Connects to the first server of the URL that takes the connection. One that cannot be
   * reached (08001, 08006) or takes no new sessions now (57P03, a draining node)
   * is skipped; any other refusal, a wrong password say, would be the same on every server of
   * a cluster and ends the attempt.
   */
  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    List<Properties> servers = connectionProperties(url, info);
    List<SQLException> skipped = new ArrayList<>();
    for (Properties server : servers) {
      try {
        return connect(server);
      } catch (SQLException e) {
        if (servers.size() == 1 || !SKIPPED.contains(e.getSQLState())) {
          throw e;
        }
        skipped.add(e);
      }
    }
    SQLException none = new SQLException("cannot connect to any of the " + servers.size()
        + " servers: " + skipped.stream().map(SQLException::getMessage)
            .collect(Collectors.joining("; ")), SqlState.CANNOT_CONNECT.code());
    skipped.forEach(none::addSuppressed);
    throw none;
  }

  /** Connects to the one server {@code server}, Avatica's connection properties, name. */
  protected final Connection connect(Properties server) throws SQLException {
    QuellConnection connection = open(server);
    try {
      connection.joinSession();
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /**
   * Opens one connection with Avatica's properties {@code props}: for the application, or the
   * internal one that sends its cancels.
   */
  QuellConnection open(Properties props) throws SQLException {
    try {
      return (QuellConnection) super.connect(getConnectStringPrefix(), props);
    } catch (RuntimeException e) {
      SQLException failure = ServerFailure.unwrap(e);
      if (SqlState.CONNECTION_FAILURE.code().equals(failure.getSQLState())) {
        throw new SQLException("cannot connect: " + failure.getMessage(), SqlState.CANNOT_CONNECT.code(), failure);
      }
      throw failure;
    }
  }

  /** What follows this driver's prefix in {@code url}, up to its parameters. */
  protected final String location(String url) {
    int query = url.indexOf('?');
    return (query < 0 ? url : url.substring(0, query)).substring(
        getConnectStringPrefix().length());
  }

  /** {@code info} with the parameters of {@code url} ({@code ?name=value&...}) over it. */
  protected static Properties parameters(String url, Properties info) {
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    int query = url.indexOf('?');
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          props.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return props;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
