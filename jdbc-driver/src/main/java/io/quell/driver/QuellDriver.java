package io.quell.driver;

import io.quell.client.QuellClientDriver;

import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * The Quell JDBC driver, {@code jdbc:quell://host:port[,host:port...]} ({@link QuellUrl}): Quell's
 * connections ({@link QuellClientDriver}) over HTTP, whose failures {@link QuellHttpClient}
 * reads from the server's error replies and HTTP status codes.
 */
public final class QuellDriver extends QuellClientDriver {
  static {
    new QuellDriver().register();
  }

  @Override protected String getConnectStringPrefix() {
    return QuellUrl.PREFIX;
  }

  @Override protected List<Properties> connectionProperties(String url, Properties info)
      throws SQLException {
    return QuellUrl.servers(location(url), parameters(url, info));
  }
}
