package io.quell.execution.plan;

import io.quell.execution.QueryThread;
import io.quell.memory.QueryMemory;
import io.quell.memory.SizeEstimate;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.function.Function0;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.function.Function2;

import java.util.ArrayList;
import java.util.List;

/**
 * What the code Calcite generates for a plan calls so that each operator that holds rows
 * accounts for them in its query's memory account (see {@link MemoryAccountingInserter}).
 * Public because Janino-compiled plans call it.
 */
public final class MemoryCheck {
  /** What an operator keeps per held row beyond the row: a map or tree node, a list slot. */
  static final long ROW_OVERHEAD = 48;
  /** What a group keeps beyond its key and accumulator: a hash map node and table slot. */
  static final long GROUP_OVERHEAD = 48;
  /** How much an operator reserves at a time: a lock and a pool update per 64 KiB, not per row. */
  static final long FLUSH = 64 * 1024;
  /**
   * After how many added rows an aggregation's accumulators are first estimated again; then
   * after twice as many each time, so that the estimates cost a constant share per row.
   */
  static final long FIRST_LOOK = 16 * 1024;

  private MemoryCheck() {
  }

  /**
   * The account of the query the current thread runs; null if it runs none or the node does
   * not account: the plan's operators then run as Calcite made them.
   */
  public static QueryMemory account() {
    QueryMemory account = QueryThread.memory();
    return account == null || !account.accounting() ? null : account;
  }

  /**
   * What one operator of one execution of a plan holds, {@code operator} naming it; each row it
   * pulls is held {@code copies} times (a window keeps its input and its output at once).
   */
  public static Holding holding(QueryMemory account, String operator, int copies) {
    return new Holding(account, operator, copies);
  }

  /**
   * One operator's reservations: rows it pulls into what it holds, or groups it creates, each
   * estimated from its actual values; released when its output is closed, and in any case
   * when the query ends.
   */
  public static final class Holding {
    private final QueryMemory account;
    private final String operator;
    private final int copies;
    /** Reserved in the account by this operator. */
    private long reserved;
    /** Estimated and not yet reserved: reservations go in steps of {@link #FLUSH}. */
    private long pending;
    /** The key an aggregation computed last, which a new group's accumulator is created for. */
    private Object lastKey;
    /** An aggregation's accumulators, whose values may grow (LISTAGG, ARRAY_AGG, COLLECT). */
    private final List<Object> accumulators = new ArrayList<>();
    /** What {@link #accumulators} were estimated to hold when last looked at. */
    private long accumulatorBytes;
    /** Rows added to accumulators, and at how many they are next looked at again. */
    private long added;
    private long nextLook = FIRST_LOOK;

    Holding(QueryMemory account, String operator, int copies) {
      this.account = account;
      this.operator = operator;
      this.copies = copies;
    }

    private void add(long bytes) {
      pending += bytes;
      if (pending >= FLUSH) {
        flush();
      }
    }

    private void flush() {
      if (pending > 0 && account != null) {
        long bytes = pending;
        pending = 0;
        account.reserve(bytes, operator);
        reserved += bytes;
      }
    }

    private void release() {
      pending = 0;
      accumulators.clear();
      if (reserved > 0 && account != null) {
        account.release(reserved);
        reserved = 0;
      }
    }

    /** {@code input}, whose every row the operator holds once it has pulled it. */
    public <T> Enumerable<T> rows(Enumerable<T> input) {
      if (account == null) {
        return input;
      }
      return new AbstractEnumerable<T>() {
        @Override public Enumerator<T> enumerator() {
          Enumerator<T> in = input.enumerator();
          return new Enumerator<T>() {
            /** The row estimated: a generated input builds its row anew at every current(). */
            private T row;

            @Override public T current() {
              return row;
            }

            @Override public boolean moveNext() {
              if (in.moveNext()) {
                row = in.current();
                add((SizeEstimate.of(row) + ROW_OVERHEAD) * copies);
                return true;
              }
              row = null;
              flush();
              return false;
            }

            @Override public void reset() {
              in.reset();
            }

            @Override public void close() {
              in.close();
            }
          };
        }
      };
    }

    /** An aggregation's key selector, which tells the group a new accumulator is for. */
    public <T, K> Function1<T, K> keys(Function1<T, K> keySelector) {
      if (account == null) {
        return keySelector;
      }
      return row -> {
        K key = keySelector.apply(row);
        lastKey = key;
        return key;
      };
    }

    /** An aggregation's accumulator initializer: called once per new group. */
    public <A> Function0<A> accumulators(Function0<A> initializer) {
      if (account == null) {
        return initializer;
      }
      return () -> accumulator(initializer.apply());
    }

    /** A new group's accumulator (or the only one, without GROUP BY), with its key if any. */
    public <A> A accumulator(A accumulator) {
      if (account == null) {
        return accumulator;
      }
      long size = SizeEstimate.of(accumulator);
      accumulators.add(accumulator);
      accumulatorBytes += size;
      add(SizeEstimate.of(lastKey) + size + GROUP_OVERHEAD);
      return accumulator;
    }

    /**
     * An aggregation's accumulator adder: an accumulator that keeps its values (LISTAGG,
     * ARRAY_AGG) grows with every row, so the accumulators are estimated again now and then,
     * and what they grew by is reserved.
     */
    public <A, T> Function2<A, T, A> adder(Function2<A, T, A> adder) {
      if (account == null) {
        return adder;
      }
      return (accumulator, row) -> {
        A result = adder.apply(accumulator, row);
        if (++added >= nextLook) {
          nextLook = added * 2;
          long now = 0;
          for (Object a : accumulators) {
            now += SizeEstimate.of(a);
          }
          if (now > accumulatorBytes) {
            add(now - accumulatorBytes);
          }
          accumulatorBytes = now;
        }
        return result;
      };
    }

    /**
     * The operator's {@code output}: what it holds is all reserved once the output starts
     * (an operator builds what it holds when its output is first pulled), and released when the
     * output is closed.
     */
    public <T> Enumerable<T> output(Enumerable<T> output) {
      if (account == null) {
        return output;
      }
      return new AbstractEnumerable<T>() {
        @Override public Enumerator<T> enumerator() {
          Enumerator<T> out = output.enumerator();
          flush();
          return new Enumerator<T>() {
            @Override public T current() {
              return out.current();
            }

            @Override public boolean moveNext() {
              boolean more = out.moveNext();
              flush();
              return more;
            }

            @Override public void reset() {
              out.reset();
            }

            @Override public void close() {
              try {
                out.close();
              } finally {
                release();
              }
            }
          };
        }
      };
    }
  }
}
