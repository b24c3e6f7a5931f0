package io.quell.driver;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * Turns {@code jdbc:quell://host:port[?prop=value&...]} into the properties of Avatica's remote
 * client: HTTP(S) to a server, BASIC auth with {@code user}/{@code password}, {@code tls=true}
 * with {@code truststore} and {@code truststore_password}, {@code serialization=protobuf|json},
 * {@code applicationName}.
 */
final class QuellUrl {
  static final String PREFIX = "jdbc:quell://";
  /** The server's default user, as with CockroachDB. */
  private static final String DEFAULT_USER = "root";

  private QuellUrl() {
  }

  /**
   * Avatica's properties for the server at {@code address} ({@code host:port}), given the
   * caller's properties and the URL's parameters, {@code props}, which it completes.
   */
  static Properties parse(String address, Properties props) throws SQLException {
    if (address.isEmpty()) {
      throw new SQLException("no server in the URL (expected jdbc:quell://host:port)", "08001");
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
