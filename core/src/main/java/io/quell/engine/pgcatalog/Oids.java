package io.quell.engine.pgcatalog;

import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Object identifiers for what Quell has no OIDs of its own for (schemas, tables, roles): each is
 * a hash of the object's key, so that every query, session and node computes the same OID for
 * the same object, and a client may keep an OID from one query and use it in the next, as psql's
 * {@code \d} does. Keys that hash alike are told apart by taking the next free OID in the order
 * of the keys, so that the same set of keys always gets the same OIDs.
 */
final class Oids {
  /**
   * PostgreSQL's first OID for user objects: below it lie the built-in types ({@link PgType}),
   * schemas and roles, which clients know by number.
   */
  static final int FIRST_NORMAL = 16384;
  /** {@code pg_catalog}'s OID in PostgreSQL. */
  static final int PG_CATALOG_NAMESPACE = 11;
  /** The bootstrap superuser's OID in PostgreSQL, here the first admin's, {@code root}. */
  static final int BOOTSTRAP_SUPERUSER = 10;
  /** The one database, {@code quell}: the first user OID, which no hashed key receives. */
  static final int DATABASE = FIRST_NORMAL;
  /** PostgreSQL's default tablespace {@code pg_default}. */
  static final int DEFAULT_TABLESPACE = 1663;
  /** PostgreSQL's access methods: tables are {@code heap}. */
  static final int HEAP = 2;
  static final int BTREE = 403;
  /** The collation {@code default}, which every text column has. */
  static final int DEFAULT_COLLATION = 100;
  static final int C_COLLATION = 950;

  private Oids() {
  }

  /**
   * An OID for each of {@code keys}, above {@link #DATABASE}, none shared, and none of
   * {@code taken}.
   */
  static Map<String, Integer> assign(Collection<String> keys, Set<Integer> taken) {
    Set<Integer> used = new HashSet<>(taken);
    used.add(DATABASE);
    Map<String, Integer> oids = new HashMap<>();
    for (String key : new TreeSet<>(keys)) {
      int oid = hash(key);
      while (!used.add(oid)) {
        oid = oid == Integer.MAX_VALUE ? FIRST_NORMAL + 1 : oid + 1;
      }
      oids.put(key, oid);
    }
    return oids;
  }

  /** {@code key}'s hash in [FIRST_NORMAL + 1, 2^31): positive, as clients read OIDs as int4. */
  private static int hash(String key) {
    int h = Hashing.murmur3_32_fixed().hashString(key, StandardCharsets.UTF_8).asInt();
    return FIRST_NORMAL + 1 + Math.floorMod(h, Integer.MAX_VALUE - FIRST_NORMAL);
  }
}
