package io.quell.activity;

import java.time.Instant;

/**
 * One member of the cluster as this node sees it: where peers reach it, whether it is this
 * node, whether it drains, and why the last fan-out to it had to leave its rows out (null once
 * it answers again). What an operator reads in {@code quell_internal.cluster_members} when SHOW
 * looks short.
 */
public record MemberStatus(long nodeId, String address, boolean self, boolean draining,
    Failure lastFailure) {
  /** A fan-out that left the member out: when, and what went wrong. */
  public record Failure(Instant time, String problem) {
  }
}
