package io.quell.client;

import org.apache.calcite.avatica.AvaticaDatabaseMetaData;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a Quell server is, as BI tools ask: Avatica's answers, with the server's failures as
 * JDBC callers expect them and Quell's transactions. Quell runs every statement by itself and
 * makes its effect visible at once: in manual-commit mode commit and rollback do nothing, so
 * each statement sees what is committed when it runs (READ COMMITTED), and a change to users or
 * roles is never undone. The database is not read-only.
 */
final class QuellDatabaseMetaData extends AvaticaDatabaseMetaData {
  private final QuellConnection connection;

  QuellDatabaseMetaData(QuellConnection connection) {
    super(connection);
    this.connection = connection;
  }

  @Override public boolean isReadOnly() {
    return false;
  }

  /** Manual-commit mode is accepted, so that BI tools and pools may use it. */
  @Override public boolean supportsTransactions() {
    return true;
  }

  @Override public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_READ_COMMITTED;
  }

  @Override public boolean dataDefinitionCausesTransactionCommit() {
    return true;
  }

  @Override public int getDefaultTransactionIsolation() throws SQLException {
    return connection.call(super::getDefaultTransactionIsolation);
  }

  @Override public String getSQLKeywords() throws SQLException {
    return connection.call(super::getSQLKeywords);
  }

  @Override public String getNumericFunctions() throws SQLException {
    return connection.call(super::getNumericFunctions);
  }

  @Override public String getStringFunctions() throws SQLException {
    return connection.call(super::getStringFunctions);
  }

  @Override public String getSystemFunctions() throws SQLException {
    return connection.call(super::getSystemFunctions);
  }

  @Override public String getTimeDateFunctions() throws SQLException {
    return connection.call(super::getTimeDateFunctions);
  }
}
