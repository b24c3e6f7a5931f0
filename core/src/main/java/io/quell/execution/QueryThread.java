package io.quell.execution;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The statement the current thread is preparing or executing: its cancel flag, and what to
 * tell when its plan starts running. Calcite prepares and runs a statement on the thread that
 * asked for it and hands operators its flag through the DataContext, but not its parser,
 * planners or scalar functions; these read the flag here ({@code pg_sleep}, the planners'
 * cancel flag).
 */
public final class QueryThread {
  private static final ThreadLocal<Statement> CURRENT = new ThreadLocal<>();

  /** The flag of a thread running no statement: nothing raises it. */
  private static final AtomicBoolean NEVER = new AtomicBoolean();

  private QueryThread() {
  }

  private record Statement(AtomicBoolean flag, Runnable executing) {
  }

  /** Runs {@code body} with {@code flag} as the current statement's cancel flag. */
  public static <T, E extends Exception> T run(AtomicBoolean flag, Body<T, E> body) throws E {
    return run(flag, () -> { }, body);
  }

  /**
   * Runs {@code body} with {@code flag} as the current statement's cancel flag;
   * {@code executing} runs each time a plan of the statement starts running.
   */
  public static <T, E extends Exception> T run(AtomicBoolean flag, Runnable executing,
      Body<T, E> body) throws E {
    Statement previous = CURRENT.get();
    CURRENT.set(new Statement(flag, executing));
    try {
      return body.run();
    } finally {
      CURRENT.set(previous);
    }
  }

  public static boolean isCanceled() {
    return cancelFlag().get();
  }

  /** The current statement's cancel flag; one that is never raised outside a statement. */
  public static AtomicBoolean cancelFlag() {
    Statement statement = CURRENT.get();
    return statement == null ? NEVER : statement.flag();
  }

  /** Reports that the current statement's plan has started running. */
  public static void executing() {
    Statement statement = CURRENT.get();
    if (statement != null) {
      statement.executing().run();
    }
  }

  /** A body that may throw. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }
}
