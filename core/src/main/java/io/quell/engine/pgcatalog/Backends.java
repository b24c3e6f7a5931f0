package io.quell.engine.pgcatalog;

import io.quell.catalog.Principal;
import io.quell.execution.CancelRequest;
import io.quell.execution.CancelStatement;
import io.quell.session.ActivityKind;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.apache.calcite.linq4j.function.NonDeterministic;
import org.apache.calcite.linq4j.function.SemiStrict;

/**
 * PostgreSQL's backend functions over Quell's sessions, a backend being a session and its
 * process id {@link Session#pid()}: {@code pg_backend_pid()}, and {@code pg_cancel_backend(pid)}
 * and {@code pg_terminate_backend(pid)}, which are CANCEL QUERY and CANCEL SESSION of that
 * session's query or of the session itself: the same privileges, the same route and the same
 * audit (the calling statement's text, cause STATEMENT). A refused one fails with 42501 and
 * cancels nothing, whether or not the session is running anything; a pid that is no session of
 * this node gives false, as PostgreSQL's for a pid that is no backend.
 */
@SemiStrict
public final class Backends {
  private Backends() {
  }

  /** {@code pg_backend_pid()}: the calling session's process id. */
  @NonDeterministic
  public static int pid() {
    return CatalogSnapshot.ofStatement().session().pid();
  }

  /** {@code pg_cancel_backend(pid)}: cancels the query session {@code pid} runs, if any. */
  @NonDeterministic
  public static boolean cancel(int pid) {
    return signal(pid, ActivityKind.QUERY, "pg_cancel_backend");
  }

  /** {@code pg_terminate_backend(pid)}: ends session {@code pid}, cancelling its query. */
  @NonDeterministic
  public static boolean terminate(int pid) {
    return signal(pid, ActivityKind.SESSION, "pg_terminate_backend");
  }

  /**
   * Cancels what {@code kind} names of session {@code pid} as the caller's CANCEL would; true
   * if the session exists and the caller may. Like PostgreSQL's signal, it succeeds whether or
   * not the session is running a query at the moment.
   */
  private static boolean signal(int pid, ActivityKind kind, String function) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    Session caller = s.session();
    Session target = s.catalog().registry().sessionByPid(pid);
    if (target == null) {
      return false;
    }
    Principal principal = s.principal();
    CancelStatement cancel = s.catalog().cancelStatement();
    cancel.check(principal, target.user());
    RunningQuery query = target.activeQuery();
    String id = kind == ActivityKind.SESSION ? target.id().toString()
        : query == null ? null : query.id().toString();
    if (id != null) {
      RunningQuery statement = caller.activeQuery();
      cancel.execute(principal, caller, new CancelRequest(function, kind, false, true,
          new CancelRequest.Literal(id), null), statement == null ? function : statement.sql());
    }
    return true;
  }
}
