package io.quell.memory;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.util.function.Consumer;

/**
 * One query's memory account: what its operators hold, reserved before they hold it, drawn
 * from the node's {@link MemoryPool} in chunks so that most reservations touch no shared
 * state. A reservation past the query's limit or the pool's stops the query: the account
 * hands the reason to its {@code stop} (the node's cancel path, which audits it) and fails
 * the reserving operator with 53200. Everything returns to the pool when the query ends.
 */
public final class QueryMemory {
  /** How much an account draws from the pool at a time, at least. */
  static final long CHUNK = 1 << 20;

  private final MemoryPool pool;
  private final long limit;
  private final boolean exempt;
  private final Consumer<String> stop;
  private long held;
  private long granted;
  private volatile long heldNow;
  private volatile long peak;
  private boolean closed;

  /**
   * An account of at most {@code limit} bytes in {@code pool}; {@code stop} cancels the query
   * with the message it is given. An {@code exempt} account (session control) is refused
   * neither by the query limit nor by what other queries hold, only past the pool's whole size
   * (a CANCEL's subquery may read any table), and it counts in the pool all the same.
   */
  public QueryMemory(MemoryPool pool, long limit, boolean exempt, Consumer<String> stop) {
    this.pool = pool;
    this.limit = Math.min(limit, pool.limit());
    this.exempt = exempt;
    this.stop = stop;
  }

  /** Whether operators account for what they hold (see {@link MemoryPool#accounting}). */
  public boolean accounting() {
    return pool.accounting();
  }

  /** The query's limit: its own, or the pool's if that is lower. */
  public long limit() {
    return limit;
  }

  /** Bytes the query's operators hold now. */
  public long held() {
    return heldNow;
  }

  /** The most the query has held. */
  public long peak() {
    return peak;
  }

  /**
   * Reserves {@code bytes} more for {@code operator} (as a message names it: "the sort"), or
   * stops the query if its limit or the pool's would be passed.
   */
  public void reserve(long bytes, String operator) {
    String refusal;
    synchronized (this) {
      if (closed) {
        return;
      }
      long wanted = held + bytes;
      if (exempt && wanted <= pool.limit()) {
        if (wanted > granted) {
          pool.force(wanted - granted);
          granted = wanted;
        }
        refusal = null;
      } else if (wanted > limit) {
        refusal = "query exceeded its memory limit of " + ByteSize.format(limit) + ": "
            + ByteSize.format(held) + " held, " + operator + " asked for "
            + ByteSize.format(bytes) + " more";
      } else if (wanted > granted && !take(wanted - granted)) {
        refusal = "query exceeded the node's SQL memory pool of "
            + ByteSize.format(pool.limit()) + " (" + ByteSize.format(pool.used())
            + " in use by all queries): " + ByteSize.format(held) + " held, " + operator
            + " asked for " + ByteSize.format(bytes) + " more";
      } else {
        refusal = null;
      }
      if (refusal == null) {
        held = wanted;
        heldNow = wanted;
        if (wanted > peak) {
          peak = wanted;
        }
        return;
      }
    }
    pool.countStoppedByLimit();
    stop.accept(refusal);
    throw new QuellException(SqlState.OUT_OF_MEMORY, refusal);
  }

  /**
   * Takes at least {@code missing} bytes from the pool: a chunk if the query's limit leaves room
   * for one, else what is missing; false, taking nothing, if the pool has not that much left.
   */
  private boolean take(long missing) {
    long chunk = Math.max(missing, Math.min(CHUNK, limit - granted));
    if (pool.tryTake(chunk)) {
      granted += chunk;
      return true;
    }
    if (chunk > missing && pool.tryTake(missing)) {
      granted += missing;
      return true;
    }
    return false;
  }

  /** {@code bytes} an operator reserved and no longer holds; they stay granted to the query. */
  public synchronized void release(long bytes) {
    if (!closed) {
      held = Math.max(0, held - bytes);
      heldNow = held;
    }
  }

  /** Counts the query as one the heap guard stopped. */
  public void countStoppedByGuard() {
    pool.countStoppedByGuard();
  }

  /** Returns everything to the pool: the query has ended. Later reservations are ignored. */
  public synchronized void close() {
    if (!closed) {
      closed = true;
      pool.giveBack(granted);
      granted = 0;
      held = 0;
      heldNow = 0;
    }
  }
}
