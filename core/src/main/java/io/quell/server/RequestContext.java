package io.quell.server;

/**
 * Who sent the request being served on this thread and from where, as the HTTP layer
 * authenticated it. Absent for in-process (embedded) calls, which the process itself trusts.
 */
public record RequestContext(String user, String clientAddress) {
  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  public static RequestContext current() {
    return CURRENT.get();
  }

  /** Runs {@code action} with this context installed on the current thread. */
  public <T, E extends Exception> T run(ThrowingSupplier<T, E> action) throws E {
    RequestContext previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return action.get();
    } finally {
      CURRENT.set(previous);
    }
  }

  /** A supplier that may throw. */
  @FunctionalInterface
  public interface ThrowingSupplier<T, E extends Exception> {
    T get() throws E;
  }
}
