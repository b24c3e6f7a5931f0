package io.quell.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A BI tool's runaway query, stopped with {@code Statement.cancel()} from another thread after
 * a delay; the server stops working on it at once. Returns the SQLSTATE the query failed with.
 * Usage: {@code CancelRunawayQuery jdbc:quell://localhost:8765 root <password>}
 */
public final class CancelRunawayQuery {
  /** A TPC-H style report whose join has no usable key: it runs for minutes. */
  static final String RUNAWAY = "SELECT l.l_returnflag, SUM(l.l_extendedprice) "
      + "FROM lineitem l, orders o WHERE l.l_orderkey + o.o_orderkey < 0 "
      + "GROUP BY l.l_returnflag";

  private CancelRunawayQuery() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("query ended with SQLSTATE " + run(args[0], args[1], args[2], 2));
  }

  public static String run(String url, String user, String password, int cancelAfterSeconds)
      throws SQLException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Connection c = DriverManager.getConnection(url, user, password);
         Statement s = c.createStatement()) {
      timer.schedule(() -> {
        s.cancel();
        return null;
      }, cancelAfterSeconds, TimeUnit.SECONDS);
      try (ResultSet rs = s.executeQuery(RUNAWAY)) {
        return "completed";
      } catch (SQLException e) {
        return e.getSQLState();
      }
    } finally {
      timer.shutdownNow();
    }
  }
}
