package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection whose server went away fails with 08006 on every call, whatever the call, and
 * never with an unchecked exception; closing it does not fail.
 */
@Timeout(120)
class ServerGoneTest {
  @TempDir Path dir;

  /** A JDBC call that a client may make on a connection. */
  @FunctionalInterface
  interface Call {
    void run() throws SQLException;
  }

  @Test void everyCallFailsWith08006() throws Exception {
    ServerFixture f = new ServerFixture(dir);
    Connection c = f.root();
    Statement created = c.createStatement();
    PreparedStatement prepared = c.prepareStatement("SELECT n_name FROM nation WHERE n_nationkey > ?");
    DatabaseMetaData md = c.getMetaData();
    Statement reading = c.createStatement();
    reading.setFetchSize(10);
    ResultSet open = reading.executeQuery("SELECT l_orderkey FROM lineitem");
    assertTrue(open.next());
    f.close();

    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("ResultSet.next past its first frame", () -> {
      while (open.next()) {
        // the rest of the rows are still on the server
      }
    });
    calls.put("Statement.executeQuery", () -> created.executeQuery("SELECT 1"));
    calls.put("PreparedStatement.executeQuery", () -> {
      prepared.setInt(1, 3);
      prepared.executeQuery();
    });
    calls.put("Connection.createStatement", c::createStatement);
    calls.put("Connection.prepareStatement", () -> c.prepareStatement("SELECT 1"));
    calls.put("Connection.setAutoCommit", () -> c.setAutoCommit(false));
    calls.put("Connection.getAutoCommit", c::getAutoCommit);
    calls.put("Connection.commit", c::commit);
    calls.put("Connection.rollback", c::rollback);
    calls.put("Connection.getTransactionIsolation", c::getTransactionIsolation);
    calls.put("Connection.getSchema", c::getSchema);
    calls.put("Connection.getMetaData", c::getMetaData);
    calls.put("DatabaseMetaData.getTables", () -> md.getTables(null, null, "%", null));
    calls.put("DatabaseMetaData.getColumns", () -> md.getColumns(null, null, "nation", "%"));
    calls.put("DatabaseMetaData.getTypeInfo", md::getTypeInfo);
    calls.put("DatabaseMetaData.getSQLKeywords", md::getSQLKeywords);
    calls.put("Statement.cancel", created::cancel);
    for (Map.Entry<String, Call> call : calls.entrySet()) {
      try {
        call.getValue().run();
        fail(call.getKey() + " succeeded against a server that went away");
      } catch (SQLException e) {
        assertEquals("08006", e.getSQLState(), call.getKey() + ": " + e);
      } catch (RuntimeException e) {
        throw new AssertionError(call.getKey() + " threw unchecked", e);
      }
    }
    assertTrue(c.isClosed(), "a connection whose server went away reports closed");
    assertFalse(c.isValid(1));
    open.close();
    created.close();
    prepared.close();
    c.close();
  }
}
