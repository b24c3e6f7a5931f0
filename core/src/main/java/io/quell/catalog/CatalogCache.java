package io.quell.catalog;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import java.time.Duration;
import java.util.function.Function;

/**
 * Reads of the catalog database kept for the query path, so that it does not touch the
 * database: every commit empties the cache, and for a catalog that other processes change too,
 * values also age out.
 */
final class CatalogCache<K, V> {
  private final CatalogDatabase database;
  private final Cache<K, V> values;

  /** {@code ttl} null keeps values until the next commit. */
  CatalogCache(CatalogDatabase database, Duration ttl) {
    this.database = database;
    CacheBuilder<Object, Object> cache = CacheBuilder.newBuilder();
    if (ttl != null) {
      cache.expireAfterWrite(ttl);
    }
    this.values = cache.build();
    database.afterCommit(values::invalidateAll);
  }

  /** The cached value of {@code key}, else the one {@code read} reads from the database. */
  V get(K key, Function<K, V> read) {
    V cached = values.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    // Read and cached under the database's lock, so that no commit, which empties the cache,
    // falls between the two and leaves a stale value behind.
    return database.read(db -> {
      V again = values.getIfPresent(key);
      if (again != null) {
        return again;
      }
      V fresh = read.apply(key);
      values.put(key, fresh);
      return fresh;
    });
  }
}
