package io.quell.engine;

import io.quell.activity.Peers;
import io.quell.admission.AdmissionControl;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.Cancellations;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.RunningQuery;
import io.quell.session.SessionRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The graceful drain of a node: from its start new sessions are refused with 57P03 and the
 * other members list the node as draining; running queries may finish until the drain timeout;
 * then the rest are cancelled with cause SHUTDOWN and a message, audited, and every session
 * ends. Leaving the cluster is left to whoever owns the membership, after this. The other
 * members go on listing and cancelling its queries meanwhile: they ask without a session.
 */
public final class NodeDrain {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
  private static final long POLL_MILLIS = 20;

  private final SessionRegistry registry;
  private final Cancellations cancellations;
  private final AdmissionControl admission;
  private final Optional<Peers> peers;
  private final Duration timeout;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean draining;

  NodeDrain(SessionRegistry registry, Cancellations cancellations, AdmissionControl admission,
      Optional<Peers> peers, Duration timeout) {
    this.registry = registry;
    this.cancellations = cancellations;
    this.admission = admission;
    this.peers = peers;
    this.timeout = timeout;
  }

  public boolean draining() {
    return draining;
  }

  /** Throws 57P03 if the node drains. */
  void checkAccepting() {
    if (draining) {
      throw new QuellException(SqlState.CANNOT_CONNECT_NOW, "the node is draining");
    }
  }

  /**
   * Starts the drain, once however often it is asked for, on a thread of its own; the future
   * completes when every session has ended.
   */
  public synchronized CompletableFuture<Void> start() {
    if (!draining) {
      draining = true;
      peers.ifPresent(Peers::announceDraining);
      Thread thread = new Thread(this::run, "quell-drain-node-" + registry.nodeId());
      thread.start();
    }
    return finished;
  }

  /** Completes when a drain has ended every session; never without a drain. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  private void run() {
    try {
      LOG.info("node {} draining: new sessions are refused, running queries have {}",
          registry.nodeId(), readable(timeout));
      String message = "node " + registry.nodeId() + " is draining";
      cancelQueued(message);
      awaitQueries();
      CancelReason overtime = new CancelReason(CancelCause.SHUTDOWN,
          message + " and its drain timeout of " + readable(timeout) + " has passed");
      registry.queries().forEach(q -> cancellations.cancelByNode(q, overtime));
      CancelReason drained = new CancelReason(CancelCause.SHUTDOWN, message);
      registry.sessions().forEach(s -> cancellations.closeSession(s, drained));
      LOG.info("node {} drained", registry.nodeId());
      finished.complete(null);
    } catch (RuntimeException | Error e) {
      finished.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Cancels the queries waiting for admission first, and lets no more wait: they would only
   * be cancelled at the timeout, holding their clients until then.
   */
  private void cancelQueued(String message) {
    admission.close("the node is draining");
    CancelReason queued = new CancelReason(CancelCause.SHUTDOWN,
        message + " and cancels the queries still queued");
    registry.queries().stream().filter(q -> q.phase() == RunningQuery.Phase.QUEUED)
        .forEach(q -> cancellations.cancelByNode(q, queued));
  }

  /** {@code 10 s}, or {@code 500 ms} for a timeout that is no whole number of seconds. */
  private static String readable(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /** Waits until no query runs or the timeout passes, whichever comes first. */
  private void awaitQueries() {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!registry.queries().isEmpty() && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
