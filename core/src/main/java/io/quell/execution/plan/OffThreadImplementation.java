package io.quell.execution.plan;

import io.quell.execution.QueryCanceledException;
import io.quell.execution.QueryThread;
import io.quell.session.RunningQuery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs a plan's code generation and Janino compilation on a compiler thread while the
 * statement's thread waits for it or for a cancel, whichever comes first. Janino has no way to
 * be interrupted, and a plan whose code Calcite cannot cache (any with a static field) is
 * compiled on every execution: tens of milliseconds in which a cancel would otherwise go
 * unanswered. A cancelled statement fails at once; its compilation runs to its end on the
 * compiler thread and is dropped.
 */
final class OffThreadImplementation {
  private static final ExecutorService COMPILERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quell-compiler");
    t.setDaemon(true);
    return t;
  });

  private OffThreadImplementation() {
  }

  static <T> T run(Supplier<T> implementation) {
    CompletableFuture<T> result = CompletableFuture.supplyAsync(implementation, COMPILERS);
    try (RunningQuery.Registration hook = QueryThread.onCancel(
        () -> result.completeExceptionally(new QueryCanceledException()))) {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
