package io.quell.admission;

/**
 * The node's admission control at one moment: its limits ({@link AdmissionControl#UNLIMITED}
 * for none), the queries running under them and waiting, the totals since start, how long the
 * oldest waiter has waited and the longest wait so far (milliseconds), and whether queries are
 * held because the SQL memory pool is above its soft limit.
 */
public record AdmissionStatus(int maxRunning, int maxQueued, int running, int queued,
    long admitted, long rejected, long oldestWaitMillis, long maxWaitMillis,
    boolean heldForMemory) {
}
