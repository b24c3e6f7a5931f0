package io.quell.execution;

import io.quell.session.RunningQuery;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The statement the current thread is executing: its cancel flag and its query. Calcite runs a
 * statement on the thread that asked for it and hands operators its flag through the
 * DataContext, but not scalar functions, nor the data sources of adapters; long-running
 * functions such as {@code pg_sleep} read the flag here, and sources register cancel hooks.
 */
public final class QueryThread {
  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  private QueryThread() {
  }

  /**
   * Runs {@code body} with {@code flag} as the current statement's cancel flag and
   * {@code query}, or null if the statement is not tracked, as its query.
   */
  public static <T, E extends Exception> T run(AtomicBoolean flag, RunningQuery query,
      Body<T, E> body) throws E {
    Current previous = CURRENT.get();
    CURRENT.set(new Current(flag, query));
    try {
      return body.run();
    } finally {
      CURRENT.set(previous);
    }
  }

  public static boolean isCanceled() {
    Current current = CURRENT.get();
    return current != null && current.flag.get();
  }

  /**
   * Registers {@code hook} with the query the current thread executes (see
   * {@link RunningQuery#onCancel}); outside a tracked query nothing can cancel it.
   */
  public static RunningQuery.Registration onCancel(Runnable hook) {
    Current current = CURRENT.get();
    if (current == null || current.query == null) {
      return () -> { };
    }
    return current.query.onCancel(hook);
  }

  private record Current(AtomicBoolean flag, RunningQuery query) {
  }

  /** A body that may throw. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }
}
