package io.quell.execution;

import org.apache.calcite.linq4j.Enumerator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes rows through and looks at the statement's cancel flag before each one, so a cancel
 * stops a scan feeding a sort, join or aggregation that has produced no row yet. Every row,
 * not every N: the outer side of a nested-loop join is pulled once per full pass over the
 * inner side, so checking every N outer rows would wait N inner passes. The check is one
 * volatile read, small beside generating or reading a row.
 */
final class CancelCheckingEnumerator<T> implements Enumerator<T> {
  private final Enumerator<T> delegate;
  private final AtomicBoolean cancelFlag;

  CancelCheckingEnumerator(Enumerator<T> delegate, AtomicBoolean cancelFlag) {
    this.delegate = delegate;
    this.cancelFlag = cancelFlag;
  }

  @Override public T current() {
    return delegate.current();
  }

  @Override public boolean moveNext() {
    if (cancelFlag.get()) {
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
