package io.quell.pgwire;

import io.quell.activity.LocalActivities;
import io.quell.engine.QuellEngine;
import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The cancel keys of this node's PostgreSQL connections, and PostgreSQL's way of cancelling:
 * a CancelRequest on a new connection names a session's process id and the secret its
 * BackendKeyData gave, and cancels that session's running query through the node's cancel
 * route (audited with cause {@link CancelCause#PG_CANCEL}, under the session's own user, whom
 * the secret stands for). A request with a wrong secret or an unknown process id does nothing
 * and says nothing, as PostgreSQL's; secrets are compared in constant time.
 *
 * <p>The secret is only 32 bits (the protocol's), so wrong requests are rate-limited: each
 * source address may spend {@link #ADDRESS_BURST} failures at once and
 * {@link #ADDRESS_PER_SECOND} a second after that, and all addresses together
 * {@link #GLOBAL_BURST} and {@link #GLOBAL_PER_SECOND}; a request that finds no token left is
 * not even checked. Guessing one session's secret takes 2^31 tries on average: at most 20 tries a
 * second from the whole network, that is 2^31 / 20 s, about 3.4 years, and from one address
 * (2 a second) about 34 years, during which the session would have to stay open; a query
 * normally lasts far less. The price is that a flood of wrong requests can hold back
 * legitimate PostgreSQL cancels (not CANCEL QUERY, timeouts or closing the connection) while
 * it lasts.
 */
final class CancelKeys {
  static final int ADDRESS_BURST = 10;
  static final double ADDRESS_PER_SECOND = 2;
  static final int GLOBAL_BURST = 50;
  static final double GLOBAL_PER_SECOND = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] UNKNOWN = new byte[4];

  private final QuellEngine engine;
  private final LongSupplier clock;
  private final Map<Integer, Key> keys = new ConcurrentHashMap<>();
  private final TokenBucket global;
  private final Cache<String, TokenBucket> byAddress;

  /** A live connection's key: its secret and session. */
  private record Key(byte[] secret, Session session) {
  }

  CancelKeys(QuellEngine engine, LongSupplier clock) {
    this.engine = engine;
    this.clock = clock;
    this.global = new TokenBucket(GLOBAL_BURST, GLOBAL_PER_SECOND, clock.getAsLong());
    // An address forgotten after a minute without failures has a full bucket again anyway.
    this.byAddress = CacheBuilder.newBuilder().maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(1)).build();
  }

  /** A new secret for {@code session}, which BackendKeyData hands to its client. */
  int register(Session session) {
    int secret = RANDOM.nextInt();
    keys.put(session.pid(), new Key(bytes(secret), session));
    return secret;
  }

  /** The connection of {@code session} has ended: its key no longer cancels anything. */
  void unregister(Session session) {
    keys.computeIfPresent(session.pid(), (pid, key) -> key.session() == session ? null : key);
  }

  /**
   * Carries out a CancelRequest for process {@code pid} with {@code secret} from
   * {@code address}; returns whether it cancelled a query, which the client is never told.
   */
  boolean cancel(int pid, int secret, String address) {
    Key key;
    synchronized (this) {
      long now = clock.getAsLong();
      TokenBucket fromAddress = addressBucket(address, now);
      if (!fromAddress.hasToken(now) || !global.hasToken(now)) {
        return false;
      }
      key = keys.get(pid);
      // Compared with a secret of the same length whether or not the pid is known.
      boolean matches = MessageDigest.isEqual(key == null ? UNKNOWN : key.secret(),
          bytes(secret)) && key != null;
      if (!matches) {
        fromAddress.spend();
        global.spend();
        return false;
      }
    }
    RunningQuery query = key.session().activeQuery();
    return query != null && engine.cancellations().cancel(engine.localActivities(),
        ActivityKind.QUERY, List.of(LocalActivities.of(query)), key.session().user(),
        CancelReason.of(CancelCause.PG_CANCEL), null) > 0;
  }

  private TokenBucket addressBucket(String address, long now) {
    try {
      return byAddress.get(address, () -> new TokenBucket(ADDRESS_BURST, ADDRESS_PER_SECOND,
          now));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static byte[] bytes(int secret) {
    return ByteBuffer.allocate(4).putInt(secret).array();
  }
}
