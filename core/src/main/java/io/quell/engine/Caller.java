package io.quell.engine;

import io.quell.catalog.Principal;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.Session;

import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalcitePrepare;

/**
 * The session on whose behalf the engine is running a statement and its current privileges.
 * Calcite hands table scans and DDL executors only its context; the connection inside it is
 * what leads back to the Quell session.
 */
public record Caller(QuellEngine engine, Session session, Principal principal) {
  static Caller of(QuellEngine engine, DataContext root) {
    Session session = engine.registry().sessionOf(root.getQueryProvider());
    if (session == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION,
          "statement does not belong to a Quell session");
    }
    session.checkAlive();
    Principal principal = engine.principal(session.user())
        .orElseThrow(() -> new QuellException(SqlState.INVALID_AUTHORIZATION,
            "role " + session.user() + " does not exist"));
    return new Caller(engine, session, principal);
  }

  static Caller of(CalcitePrepare.Context context) {
    return of(QuellEngine.of(context.getRootSchema().plus()), context.getDataContext());
  }
}
