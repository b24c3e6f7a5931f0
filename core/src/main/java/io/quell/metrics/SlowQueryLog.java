package io.quell.metrics;

import io.quell.execution.plan.StatementFingerprint;
import io.quell.parser.text.SqlRedaction;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one line of JSON to logger {@value #LOGGER} for each statement that took at least
 * the threshold, from receipt to its last row or its failure: when it started, how long it
 * took, who ran it from where, its ids, tags, rows and outcome, its fingerprint and its text
 * (passwords always hidden; constants too if asked). The distribution's logging sends that
 * logger to a file of its own.
 */
public final class SlowQueryLog {
  public static final String LOGGER = "io.quell.slowquery";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long thresholdNanos;
  private final boolean redact;

  /** A log of statements of at least {@code threshold}; zero logs none. */
  public SlowQueryLog(Duration threshold, boolean redact) {
    this.thresholdNanos = threshold.isZero() ? Long.MAX_VALUE : threshold.toNanos();
    this.redact = redact;
  }

  /** Logs {@code query}, which has finished, if it took at least the threshold. */
  public void record(RunningQuery query) {
    long nanos = query.elapsedNanos();
    if (nanos < thresholdNanos || !LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(line(query, nanos));
  }

  /** The log line of {@code query}, which took {@code nanos}. */
  String line(RunningQuery query, long nanos) {
    Session session = query.session();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", query.start().toString());
    line.put("duration_ms", nanos / 1e6);
    line.put("user", session.user());
    line.put("application", session.variables().applicationName());
    line.put("client_address", session.clientAddress());
    line.put("session_id", session.id().toString());
    line.put("query_id", query.id().toString());
    line.put("tags", query.tags());
    line.put("rows", query.rows());
    line.put("outcome", query.outcome().label());
    line.put("fingerprint", StatementFingerprint.of(query.sql()));
    line.put("query", redact ? SqlRedaction.hideConstants(query.sql()) : query.sql());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers is always JSON", e);
    }
  }
}
