/**
 * What a node tells of itself over time: its metrics for Prometheus ({@link NodeMetrics}), the
 * statistics of its statements by fingerprint and user ({@link StatementStatistics}) and the
 * slow-query log ({@link SlowQueryLog}). Each learns of a statement once, when its session
 * finishes it, whatever the front end.
 */
package io.quell.metrics;
