package io.quell.execution;

import org.apache.calcite.linq4j.Enumerator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes rows through and looks at the statement's cancel flag every {@value #CHECK_INTERVAL}
 * rows, so a cancel stops a scan feeding a sort, join or aggregation that has produced no row
 * yet. The interval keeps the cost to a counter increment per row.
 */
final class CancelCheckingEnumerator<T> implements Enumerator<T> {
  static final int CHECK_INTERVAL = 1024;

  private final Enumerator<T> delegate;
  private final AtomicBoolean cancelFlag;
  private int rows;

  CancelCheckingEnumerator(Enumerator<T> delegate, AtomicBoolean cancelFlag) {
    this.delegate = delegate;
    this.cancelFlag = cancelFlag;
  }

  @Override public T current() {
    return delegate.current();
  }

  @Override public boolean moveNext() {
    if ((++rows & (CHECK_INTERVAL - 1)) == 0 && cancelFlag.get()) {
      throw new QueryCanceledException();
    }
    return delegate.moveNext();
  }

  @Override public void reset() {
    delegate.reset();
  }

  @Override public void close() {
    delegate.close();
  }
}
