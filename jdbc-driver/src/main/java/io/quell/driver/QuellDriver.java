package io.quell.driver;

import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The Quell JDBC driver, {@code jdbc:quell://host:port} ({@link QuellUrl}): Avatica's remote
 * driver with Quell's connections, statements and result sets ({@link QuellJdbcFactory}),
 * whose {@code Statement.cancel()} and {@code setQueryTimeout()} stop the query on the server
 * and whose failures are the server's own errors.
 */
public final class QuellDriver extends org.apache.calcite.avatica.remote.Driver {
  static {
    new QuellDriver().register();
  }

  @Override protected String getConnectStringPrefix() {
    return QuellUrl.PREFIX;
  }

  @Override protected AvaticaFactory createFactory() {
    return new QuellJdbcFactory();
  }

  @Override protected DriverVersion createDriverVersion() {
    return DriverVersion.load(QuellDriver.class, "io-quell-jdbc.properties",
        "Quell JDBC Driver", "unknown version", "Quell", "unknown version");
  }

  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (!QuellUrl.accepts(url)) {
      return null;
    }
    QuellConnection connection = open(QuellUrl.parse(url, info));
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
      return (QuellConnection) super.connect(QuellUrl.PREFIX, props);
    } catch (RuntimeException e) {
      SQLException failure = ServerFailure.unwrap(e);
      if ("08006".equals(failure.getSQLState())) {
        throw new SQLException("cannot connect: " + failure.getMessage(), "08001", failure);
      }
      throw failure;
    }
  }
}
