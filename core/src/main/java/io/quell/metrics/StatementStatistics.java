package io.quell.metrics;

import io.quell.execution.plan.StatementFingerprint;
import io.quell.session.RunningQuery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's statistics of its executed statements, one entry per fingerprint
 * ({@link StatementFingerprint}) and user, as PostgreSQL's {@code pg_stat_statements} keeps
 * them. At most {@link #MAX_ENTRIES} entries: the least recently run is dropped for a new
 * one, so that a client sending ever new texts cannot grow the node's memory. A statement is
 * counted when it finishes, with its time from receipt to its last row or its failure.
 */
public final class StatementStatistics {
  /** Entries kept at most, as pg_stat_statements keeps 5,000 by default. */
  public static final int MAX_ENTRIES = 5_000;

  private record Key(String fingerprint, String user) {
  }

  private final int maxEntries;
  private final boolean enabled;
  /** In access order, guarded by itself: a lookup is short, the entry is updated outside. */
  private final Map<Key, StatementStats> entries;

  /** Statistics of at most {@code maxEntries} entries, or none at all if not {@code enabled}. */
  public StatementStatistics(int maxEntries, boolean enabled) {
    this.maxEntries = maxEntries;
    this.enabled = enabled;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override protected boolean removeEldestEntry(Map.Entry<Key, StatementStats> eldest) {
        return size() > StatementStatistics.this.maxEntries;
      }
    };
  }

  public boolean enabled() {
    return enabled;
  }

  /** Counts {@code query}, which has finished. */
  public void record(RunningQuery query) {
    if (!enabled) {
      return;
    }
    String fingerprint = query.fingerprint();
    Key key = new Key(fingerprint != null ? fingerprint : StatementFingerprint.of(query.sql()),
        query.session().user());
    StatementStats stats;
    synchronized (entries) {
      stats = entries.computeIfAbsent(key, k -> new StatementStats(k.fingerprint(), k.user()));
    }
    stats.add(query, query.elapsedNanos());
  }

  /** Every entry as it is now. */
  public List<StatementStats.Snapshot> snapshot() {
    List<StatementStats> all;
    synchronized (entries) {
      all = new ArrayList<>(entries.values());
    }
    return all.stream().map(StatementStats::snapshot).toList();
  }

  /** How many entries there are. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Drops every entry; returns how many there were. */
  public long reset() {
    synchronized (entries) {
      int size = entries.size();
      entries.clear();
      return size;
    }
  }
}
