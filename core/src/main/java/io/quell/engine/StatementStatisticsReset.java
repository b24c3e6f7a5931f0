package io.quell.engine;

import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.ActivityPolicy;
import io.quell.execution.QueryThread;
import io.quell.session.Session;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.linq4j.function.NonDeterministic;

import java.sql.SQLException;

/**
 * {@code quell_internal.reset_statement_statistics()}, PostgreSQL's
 * {@code pg_stat_statements_reset()}: an admin empties this node's statement statistics; it
 * returns how many entries there were. Anyone else gets 42501 and nothing changes.
 */
public final class StatementStatisticsReset {
  static final String NAME = "reset_statement_statistics";

  private StatementStatisticsReset() {
  }

  /** Runs as its statement's work, whose session says who calls and on which engine. */
  @NonDeterministic
  public static long reset() throws SQLException {
    Session session = QueryThread.session();
    if (session == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION,
          "statement does not belong to a Quell session");
    }
    QuellEngine engine = QuellEngine.of(
        session.connection().unwrap(CalciteConnection.class).getRootSchema());
    Principal principal = engine.principal(session.user())
        .orElseThrow(() -> new QuellException(SqlState.INVALID_AUTHORIZATION,
            "role " + session.user() + " does not exist"));
    ActivityPolicy.checkAdmin(principal, "reset the statement statistics");
    return engine.statementStatistics().reset();
  }
}
