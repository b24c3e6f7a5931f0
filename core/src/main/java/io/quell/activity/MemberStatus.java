package io.quell.activity;

import java.time.Instant;

/**
 * One member of the cluster as this node sees it, or ZooKeeper itself: where it is reached,
 * whether it is this node, its state since when, and why the last call to it failed (null once
 * it answers again). What an operator reads in {@code quell_internal.cluster_members} when SHOW
 * looks short.
 *
 * @param nodeId null for ZooKeeper
 * @param state a member's {@code starting}, {@code up} or {@code not answering}; ZooKeeper's
 *     {@code connected}, {@code suspended} (the connection broke, the session may live on) or
 *     {@code lost} (the session expired or could not be confirmed)
 */
public record MemberStatus(Kind kind, Long nodeId, String address, boolean self, String state,
    Instant since, Failure lastFailure) {
  /** What the row describes. */
  public enum Kind {
    NODE, ZOOKEEPER
  }

  /** A call that failed: when, and what went wrong. */
  public record Failure(Instant time, String problem) {
  }
}
