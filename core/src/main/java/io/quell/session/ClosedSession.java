package io.quell.session;

/**
 * What SHOW SESSIONS keeps of a session that ended: its identity and counters as they were at
 * its end, without its engine connection, variables or queries. Times are epoch milliseconds
 * and the texts are those the session already held, so a closed session costs a few hundred
 * bytes beside its last query.
 */
public record ClosedSession(ActivityId id, int pid, String user, String clientAddress,
    String applicationName, String lastQuery, long statementCount, long startMillis,
    long endMillis, CancelCause cause, long maxAllocBytes) {
}
