package io.quell.execution;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cancel flag of the statement the current thread is executing. Calcite runs a statement
 * on the thread that asked for it and hands operators its flag through the DataContext, but
 * not scalar functions; long-running functions such as {@code pg_sleep} read it here.
 */
public final class QueryThread {
  private static final ThreadLocal<AtomicBoolean> FLAG = new ThreadLocal<>();

  private QueryThread() {
  }

  /** Runs {@code body} with {@code flag} as the current statement's cancel flag. */
  public static <T, E extends Exception> T run(AtomicBoolean flag, Body<T, E> body) throws E {
    AtomicBoolean previous = FLAG.get();
    FLAG.set(flag);
    try {
      return body.run();
    } finally {
      FLAG.set(previous);
    }
  }

  public static boolean isCanceled() {
    AtomicBoolean flag = FLAG.get();
    return flag != null && flag.get();
  }

  /** A body that may throw. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }
}
