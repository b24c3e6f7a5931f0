package io.quell.execution;

import io.quell.memory.QueryMemory;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import org.apache.calcite.DataContext;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The statement the current thread is preparing or executing: its cancel flag and its query.
 * Calcite prepares and runs a statement on the thread that asked for it and hands operators
 * its flag through the DataContext, but not its parser, planners, scalar functions or the
 * data sources of adapters: these read the flag here ({@code pg_sleep}, the planners' cancel
 * flag), sources register cancel hooks, and the plan tells when it starts running.
 */
public final class QueryThread {
  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  /** The flag of a thread running no statement: nothing raises it. */
  private static final AtomicBoolean NEVER = new AtomicBoolean();

  private QueryThread() {
  }

  /** {@code query} is null for a statement that is not tracked. */
  private record Current(AtomicBoolean flag, RunningQuery query) {
  }

  /**
   * Runs {@code body} with {@code flag} as the current statement's cancel flag and
   * {@code query}, or null if the statement is not tracked, as its query.
   */
  public static <T, E extends Exception> T run(AtomicBoolean flag, RunningQuery query,
      Body<T, E> body) throws E {
    return new Scope(flag, query).run(body);
  }

  /**
   * One statement as the current thread's, made once and entered around each piece of its
   * work: an embedded client pulls a result's rows one at a time, each a step of the plan.
   */
  public static final class Scope {
    private final Current current;

    public Scope(AtomicBoolean flag, RunningQuery query) {
      this.current = new Current(flag, query);
    }

    public <T, E extends Exception> T run(Body<T, E> body) throws E {
      Object previous = enter();
      try {
        return body.run();
      } finally {
        exit(previous);
      }
    }

    /** Makes this the current statement; returns what {@link #exit} restores. */
    public Object enter() {
      Current previous = CURRENT.get();
      CURRENT.set(current);
      return previous;
    }

    public void exit(Object previous) {
      CURRENT.set((Current) previous);
    }
  }

  public static boolean isCanceled() {
    return cancelFlag().get();
  }

  /** The current statement's cancel flag; one that is never raised outside a statement. */
  public static AtomicBoolean cancelFlag() {
    Current current = CURRENT.get();
    return current == null ? NEVER : current.flag();
  }

  /**
   * The flag of the statement the current thread runs, or, for a plan Quell's front end does
   * not run, the flag Calcite keeps in {@code root}; null if neither has one. A statement
   * running inside another (the source query of a CANCEL) runs under the outer one's flag.
   */
  public static AtomicBoolean cancelFlag(DataContext root) {
    Current current = CURRENT.get();
    return current != null ? current.flag() : DataContext.Variable.CANCEL_FLAG.get(root);
  }

  /** The session whose statement the current thread runs; null if none. */
  public static Session session() {
    Current current = CURRENT.get();
    return current == null || current.query() == null ? null : current.query().session();
  }

  /** The memory account of the query the current thread runs; null if none is tracked. */
  public static QueryMemory memory() {
    Current current = CURRENT.get();
    return current == null || current.query() == null ? null : current.query().memory();
  }

  /** The user of the session whose statement the current thread runs; null if none. */
  public static String sessionUser() {
    Session session = session();
    return session == null ? null : session.user();
  }

  /** Reports that the current statement's plan has started running. */
  public static void executing() {
    Current current = CURRENT.get();
    if (current != null && current.query() != null) {
      current.query().executing();
    }
  }

  /**
   * Hands the current statement the statistics fingerprint of {@code sql}, found while
   * planning it, if {@code sql} is its text, not that of a query it runs inside (a CANCEL's
   * subquery).
   */
  public static void fingerprinted(String sql, String fingerprint) {
    Current current = CURRENT.get();
    if (current != null && current.query() != null && current.query().sql().equals(sql)) {
      current.query().setFingerprint(fingerprint);
    }
  }

  /**
   * Registers {@code hook} with the query the current thread executes (see
   * {@link RunningQuery#onCancel}); outside a tracked query nothing can cancel it.
   */
  public static RunningQuery.Registration onCancel(Runnable hook) {
    Current current = CURRENT.get();
    if (current == null || current.query() == null) {
      return () -> { };
    }
    return current.query().onCancel(hook);
  }

  /** A body that may throw. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }
}
