package io.quell.frontend;

import java.util.function.BooleanSupplier;

/**
 * Who sent the request being served on this thread and from where, as the HTTP layer
 * authenticated it, and whether that client is still connected. Absent for in-process
 * (embedded) calls, which the process itself trusts.
 */
public record RequestContext(String user, String clientAddress, BooleanSupplier clientConnected) {
  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  public static RequestContext current() {
    return CURRENT.get();
  }

  /** Installs this context on the current thread until the returned scope is closed. */
  public Scope enter() {
    RequestContext previous = CURRENT.get();
    CURRENT.set(this);
    return () -> CURRENT.set(previous);
  }

  /** The extent of an installed context. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override void close();
  }
}
