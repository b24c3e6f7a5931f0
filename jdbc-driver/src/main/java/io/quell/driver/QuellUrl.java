package io.quell.driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

  static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  static Properties parse(String url, Properties info) throws SQLException {
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    int query = url.indexOf('?');
    String address = (query < 0 ? url : url.substring(0, query)).substring(PREFIX.length());
    if (address.isEmpty()) {
      throw new SQLException("no server in " + url + " (expected jdbc:quell://host:port)",
          "08001");
    }
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          props.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
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

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
