package io.quell.driver;

import io.quell.client.SqlState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Turns {@code jdbc:quell://host:port[,host:port...][?prop=value&...]} into the properties of
 * Avatica's remote client, one set per server: HTTP(S) to a server, BASIC auth with
 * {@code user}/{@code password}, {@code tls=true} with {@code truststore} and
 * {@code truststore_password}, {@code serialization=protobuf|json}, {@code applicationName}.
 * Several servers, the members of a cluster, are tried in the order given, or in a random one
 * with {@code loadBalanceHosts=true} (as PostgreSQL's driver does), for each new connection.
 */
final class QuellUrl {
  static final String PREFIX = "jdbc:quell://";
  /** The server's default user, as with CockroachDB. */
  private static final String DEFAULT_USER = "root";

  private QuellUrl() {
  }

  /** Avatica's properties for each server of {@code location}, in the order to try them. */
  static List<Properties> servers(String location, Properties props) throws SQLException {
    List<String> addresses = Arrays.asList(location.split(",", -1));
    if (addresses.size() > 1 && addresses.stream().anyMatch(String::isBlank)) {
      throw new SQLException("an empty server in the URL's list " + location
          + " (expected jdbc:quell://host:port,host:port,...)", SqlState.CANNOT_CONNECT.code());
    }
    if (Boolean.parseBoolean(props.getProperty("loadBalanceHosts", "false"))) {
      addresses = new ArrayList<>(addresses);
      Collections.shuffle(addresses);
    }
    List<Properties> servers = new ArrayList<>();
    for (String address : addresses) {
      Properties server = new Properties();
      server.putAll(props);
      servers.add(parse(address.strip(), server));
    }
    return servers;
  }

  /**
   * Avatica's properties for the server at {@code address} ({@code host:port}), given the
   * caller's properties and the URL's parameters, {@code props}, which it completes.
   */
  private static Properties parse(String address, Properties props) throws SQLException {
    if (address.isEmpty()) {
      throw new SQLException("no server in the URL (expected jdbc:quell://host:port)", SqlState.CANNOT_CONNECT.code());
    }
    boolean tls = Boolean.parseBoolean(props.getProperty("tls", "false"));
    props.setProperty("url", (tls ? "https://" : "http://") + address);
    props.setProperty("serialization",
        props.getProperty("serialization", "protobuf").toUpperCase(Locale.ROOT));
    props.setProperty("authentication", "BASIC");
    String user = props.getProperty("user", DEFAULT_USER);
    props.setProperty("user", user);
    props.setProperty("avatica_user", user);
    props.setProperty("avatica_password", props.getProperty("password", ""));
    props.setProperty("httpclient_impl", QuellHttpClient.class.getName());
    return props;
  }
}
