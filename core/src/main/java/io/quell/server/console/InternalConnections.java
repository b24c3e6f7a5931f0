package io.quell.server.console;

import io.quell.client.SqlState;
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
 * the statements see and may do is exactly what the user's SQL sees and may do. The engine's
 * sweep ends those unused for a minute, so a user who stopped looking leaves no session
 * behind for long.
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
    node.engine().everySweep(this::endUnused);
  }

  /**
   * Runs {@code work} on a session of {@code user}. A connection that failed is not reused.
   * If a kept session turns out to be gone (cancelled, say, by an admin who found it in SHOW
   * ALL SESSIONS), the work never ran and runs once more on a new session.
   */
  <T> T as(String user, Work<T> work) throws SQLException {
    Deque<Idle> pool = idle.get(user);
    Idle kept = pool == null ? null : pool.pollFirst();
    if (kept != null) {
      try {
        return runAndKeep(user, kept.connection(), work);
      } catch (SQLException e) {
        if (!sessionGone(e)) {
          throw e;
        }
      }
    }
    return runAndKeep(user, open(user), work);
  }

  private <T> T runAndKeep(String user, Connection connection, Work<T> work)
      throws SQLException {
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

  /** 57P01: the session was cancelled; 08: its connection no longer exists. */
  private static boolean sessionGone(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.equals(SqlState.ADMIN_SHUTDOWN.code()) || state.startsWith("08"));
  }

  private Connection open(String user) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("applicationName", APPLICATION);
    return node.connect(user, properties);
  }

  /** Ends the kept sessions unused for longer than a minute. */
  private void endUnused() {
    long now = System.nanoTime();
    for (Deque<Idle> pool : idle.values()) {
      for (Idle i : pool) {
        if (now - i.since() > MAX_IDLE_NANOS && pool.remove(i)) {
          closeQuietly(i.connection());
        }
      }
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
    for (Deque<Idle> pool : idle.values()) {
      for (Idle i; (i = pool.pollFirst()) != null; ) {
        closeQuietly(i.connection());
      }
    }
  }
}
