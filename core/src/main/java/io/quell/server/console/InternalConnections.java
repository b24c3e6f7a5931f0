package io.quell.server.console;

import io.quell.frontend.QuellNode;
import io.quell.session.Session;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The engine sessions the console runs its statements on, a few per user, kept between
 * requests: a session per request would fill the closed-session history with the console's
 * own. They are internal sessions (the {@link Session#INTERNAL_APPLICATION_PREFIX}
 * application name), so SHOW lists them only with ALL, and they are the user's own, so what
 * the statements see and may do is exactly what the user's SQL sees and may do. A connection
 * unused for a minute is closed rather than reused, well before the engine's connection
 * expiry would end its session underneath.
 */
final class InternalConnections implements AutoCloseable {
  static final String APPLICATION = Session.INTERNAL_APPLICATION_PREFIX + " web console";
  private static final int IDLE_PER_USER = 4;
  private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private record Idle(Connection connection, long since) {
  }

  /** Work done on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final QuellNode node;
  private final Map<String, Deque<Idle>> idle = new ConcurrentHashMap<>();

  InternalConnections(QuellNode node) {
    this.node = node;
  }

  /**
   * Runs {@code work} on a session of {@code user}. A connection that failed is not reused:
   * its session may have been cancelled.
   */
  <T> T as(String user, Work<T> work) throws SQLException {
    Connection connection = borrow(user);
    T result;
    try {
      result = work.run(connection);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
    Deque<Idle> pool = idle.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>());
    if (pool.size() < IDLE_PER_USER) {
      pool.addFirst(new Idle(connection, System.nanoTime()));
    } else {
      closeQuietly(connection);
    }
    return result;
  }

  private Connection borrow(String user) throws SQLException {
    Deque<Idle> pool = idle.get(user);
    for (Idle i; pool != null && (i = pool.pollFirst()) != null; ) {
      if (System.nanoTime() - i.since() < MAX_IDLE_NANOS && !i.connection().isClosed()) {
        return i.connection();
      }
      closeQuietly(i.connection());
    }
    Properties properties = new Properties();
    properties.setProperty("applicationName", APPLICATION);
    return node.connect(user, properties);
  }

  /** Ends the idle sessions of {@code user}, e.g. when the user logs out. */
  void release(String user) {
    Deque<Idle> pool = idle.remove(user);
    if (pool != null) {
      pool.forEach(i -> closeQuietly(i.connection()));
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // its session is gone already
    }
  }

  @Override public void close() {
    idle.keySet().forEach(this::release);
  }
}
