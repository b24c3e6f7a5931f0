package io.quell.driver;

import org.apache.calcite.avatica.DriverVersion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The Quell JDBC driver: Avatica's remote driver with Quell's URLs ({@link QuellUrl}) and
 * connections whose {@code Statement.cancel()} and {@code setQueryTimeout()} stop the query on
 * the server ({@link SessionConnection}).
 */
public final class QuellDriver extends org.apache.calcite.avatica.remote.Driver {
  static {
    new QuellDriver().register();
  }

  @Override protected String getConnectStringPrefix() {
    return QuellUrl.PREFIX;
  }

  @Override protected DriverVersion createDriverVersion() {
    return new DriverVersion("Quell JDBC Driver", "0.1.0", "Quell", "0.1.0", true, 0, 1, 0, 1);
  }

  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties props = QuellUrl.parse(url, info);
    return SessionConnection.open(this::open, props);
  }

  /** One Avatica connection with Quell's properties; failures as SQLException. */
  Connection open(Properties props) throws SQLException {
    try {
      return super.connect(QuellUrl.PREFIX, props);
    } catch (RuntimeException e) {
      SQLException known = ClientFailures.translate(e, props.getProperty("avatica_user"));
      if (known != null) {
        throw known;
      }
      throw new SQLException("cannot connect: " + e.getMessage(), "08001", e);
    }
  }
}
