package io.quell.execution.plan;

import io.quell.execution.QueryCanceledException;
import io.quell.execution.QueryThread;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the code Calcite generates for a plan calls to stop when its statement is cancelled.
 * Public because Janino-compiled plans call it.
 */
public final class CancelCheck {
  private static final AtomicBoolean NEVER = new AtomicBoolean();

  private CancelCheck() {
  }

  /**
   * Throws 57014 if {@code flag} is up. An opaque read: like a volatile one it cannot be
   * hoisted out of a loop and sees the cancel promptly, but it does not order the plan's other
   * memory accesses around it, which a volatile read in every loop body would.
   */
  public static void check(AtomicBoolean flag) {
    if (flag.getOpaque()) {
      throw new QueryCanceledException();
    }
  }

  /**
   * {@code rows}, checking {@code flag} before each row: for the input of a library loop that
   * would otherwise run through many rows without calling generated code.
   */
  public static <T> Enumerable<T> rows(AtomicBoolean flag, Enumerable<T> rows) {
    return new AbstractEnumerable<T>() {
      @Override public Enumerator<T> enumerator() {
        Enumerator<T> input = rows.enumerator();
        return new Enumerator<T>() {
          @Override public T current() {
            return input.current();
          }

          @Override public boolean moveNext() {
            check(flag);
            return input.moveNext();
          }

          @Override public void reset() {
            input.reset();
          }

          @Override public void close() {
            input.close();
          }
        };
      }
    };
  }

  /**
   * Starts running a plan on {@code root}: the statement is executing from now on (until now
   * it was parsed, planned and compiled). Returns its cancel flag, or one never raised if it
   * has none.
   */
  public static AtomicBoolean start(DataContext root) {
    QueryThread.executing();
    AtomicBoolean flag = QueryThread.cancelFlag(root);
    return flag == null ? NEVER : flag;
  }
}
