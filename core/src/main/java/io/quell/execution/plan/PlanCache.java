package io.quell.execution.plan;

import io.quell.execution.QueryThread;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import org.apache.calcite.jdbc.CalcitePrepare;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One engine's prepared plans of queries, by their text as {@link LiteralLifter} writes it and
 * everything else a plan depends on (see {@link Key}), bounded by entries and by an estimate of
 * the memory they hold. Plans hold nothing of the session or the caller that prepared them:
 * system tables filter and redact their rows for whoever scans them, when they are scanned.
 */
public final class PlanCache {
  /**
   * What a plan depends on besides its text: the schema path names resolve in, what the
   * engine says the session's plans depend on ({@code scope}: the views, for one), and the
   * Java type rows are made as. Not the row limit, which Calcite applies to a plan's result.
   */
  /** {@code caller} is the session's user where the plan depends on it, else null. */
  record Key(String text, List<String> defaultSchemaPath, Object scope, Type elementType,
      String caller) {
  }

  /** A plan with maxRowCount -1 (no limit) and the parameters of its own text. */
  record Entry(CalcitePrepare.CalciteSignature<?> plan, long bytes) {
  }

  /** Counts for {@code quell_internal.plan_cache}. */
  public record Stats(long entries, long hits, long misses, long evictions, long bytesEstimate) {
  }

  /**
   * Memory a plan is taken to hold beyond its text and columns: the signature, its parameter
   * maps and the instance of the compiled plan (whose class Calcite's code cache keeps anyway).
   */
  private static final long PLAN_BYTES = 4096;
  private static final long COLUMN_BYTES = 512;

  private final Function<CalcitePrepare.Context, Optional<Object>> scope;
  private final Cache<Key, Entry> plans;
  /** Lifted texts that failed to prepare though their original text may not: plan those. */
  private final Cache<Key, Boolean> unliftable;

  /**
   * {@code scope} gives what a session's plans depend on beyond their text, or empty when the
   * session plans every statement afresh.
   */
  public PlanCache(int maxEntries, long maxBytes,
      Function<CalcitePrepare.Context, Optional<Object>> scope) {
    this.scope = scope;
    // Caffeine bounds by entries or by weight, not both: no entry weighs less than its share
    // of the bytes, so the bytes also bound the entries.
    long minWeight = Math.max(1, maxBytes / maxEntries);
    this.plans = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, Entry e) -> (int) Math.min(Integer.MAX_VALUE,
            Math.max(minWeight, e.bytes())))
        .recordStats()
        .build();
    this.unliftable = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  /** The key of {@code text} prepared in {@code context}; empty if its session caches nothing. */
  Optional<Key> key(CalcitePrepare.Context context, String text, Type elementType,
      boolean callerDependent) {
    String caller = callerDependent ? QueryThread.sessionUser() : null;
    return scope.apply(context)
        .map(s -> new Key(text, context.getDefaultSchemaPath(), s, elementType, caller));
  }

  /** The plan of {@code key}, counted as a hit or a miss. */
  CalcitePrepare.CalciteSignature<?> get(Key key) {
    Entry entry = plans.getIfPresent(key);
    return entry == null ? null : entry.plan();
  }

  void put(Key key, CalcitePrepare.CalciteSignature<?> plan) {
    long bytes = PLAN_BYTES + 2L * key.text().length() + COLUMN_BYTES * plan.columns.size();
    plans.put(key, new Entry(plan, bytes));
  }

  boolean isUnliftable(Key key) {
    return unliftable.getIfPresent(key) != null;
  }

  void markUnliftable(Key key) {
    unliftable.put(key, Boolean.TRUE);
  }

  public Stats stats() {
    CacheStats stats = plans.stats();
    long bytes = plans.asMap().values().stream().mapToLong(Entry::bytes).sum();
    return new Stats(plans.estimatedSize(), stats.hitCount(), stats.missCount(),
        stats.evictionCount(), bytes);
  }
}
