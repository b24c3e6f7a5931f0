package io.quell.driver;

import io.quell.engine.EngineConfig;
import io.quell.engine.QuellEngine;
import io.quell.frontend.InProcessServiceFactory;
import io.quell.frontend.QuellNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a Quell JDBC URL into the properties of Avatica's remote client.
 * <ul>
 *   <li>{@code jdbc:quell://host:port[?prop=value&...]}: HTTP(S) to a server, BASIC auth with
 *   {@code user}/{@code password}, {@code tls=true} with {@code truststore} and
 *   {@code truststore_password}, {@code serialization=protobuf|json}.</li>
 *   <li>{@code jdbc:quell:embedded:[data-dir][?scale=0.01&...]}: an engine in this JVM, one per
 *   data directory, started on first use.</li>
 * </ul>
 */
final class QuellUrl {
  static final String PREFIX = "jdbc:quell:";
  private static final String REMOTE = PREFIX + "//";
  private static final String EMBEDDED = PREFIX + "embedded:";
  private static final Map<Path, QuellNode> EMBEDDED_NODES = new ConcurrentHashMap<>();

  private QuellUrl() {
  }

  static Properties parse(String url, Properties info) throws SQLException {
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          props.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    if (base.startsWith(REMOTE)) {
      boolean tls = Boolean.parseBoolean(props.getProperty("tls", "false"));
      props.setProperty("url", (tls ? "https://" : "http://") + base.substring(REMOTE.length()));
      props.setProperty("serialization",
          props.getProperty("serialization", "protobuf").toUpperCase(Locale.ROOT));
      props.setProperty("authentication", "BASIC");
      props.setProperty("avatica_user", props.getProperty("user", QuellEngine.DEFAULT_USER));
      props.setProperty("avatica_password", props.getProperty("password", ""));
    } else if (base.startsWith(EMBEDDED)) {
      String dir = base.substring(EMBEDDED.length());
      QuellNode node = embedded(Path.of(dir.isEmpty() ? "quell-data" : dir), props);
      props.setProperty("url", InProcessServiceFactory.url(node));
      props.setProperty("factory", InProcessServiceFactory.class.getName());
    } else {
      throw new SQLException("not a Quell URL: " + base
          + " (expected jdbc:quell://host:port or jdbc:quell:embedded:dir)", "08001");
    }
    return props;
  }

  private static QuellNode embedded(Path dir, Properties props) throws SQLException {
    try {
      return EMBEDDED_NODES.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
        try {
          QuellNode node = QuellNode.start(EngineConfig.builder().dataDir(d)
              .scaleFactor(Double.parseDouble(props.getProperty("scale", "1.0")))
              .rootPassword(props.getProperty("rootPassword")).build());
          Runtime.getRuntime().addShutdownHook(new Thread(node::close, "quell-embedded-stop"));
          return node;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (IllegalStateException e) {
      throw new SQLException("cannot start embedded engine in " + dir + ": "
          + e.getCause().getMessage(), "58000", e.getCause());
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
