package io.quell.engine;

import io.quell.admission.AdmissionControl;
import io.quell.admission.AdmissionStatus;
import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.util.Locale;

/**
 * {@code ALTER SYSTEM SET name = value} and {@code ALTER SYSTEM RESET name | ALL}: the node's
 * settings an admin changes while it runs, as PostgreSQL's ALTER SYSTEM does, but for this node
 * and until it restarts (the flags it started with are what RESET returns to).
 */
final class SystemSettings {
  static final String MAX_RUNNING_QUERIES = "max_running_queries";
  static final String MAX_QUEUED_QUERIES = "max_queued_queries";

  private final AdmissionControl admission;
  private final EngineConfig config;

  SystemSettings(AdmissionControl admission, EngineConfig config) {
    this.admission = admission;
    this.config = config;
  }

  /** Sets {@code name} to {@code value}, or back to the node's start value if it is null. */
  void set(String name, String value) {
    AdmissionStatus now = admission.status();
    switch (name.toLowerCase(Locale.ROOT)) {
      case MAX_RUNNING_QUERIES -> admission.setLimits(value == null
          ? config.maxRunningQueries() : number(name, value), now.maxQueued());
      case MAX_QUEUED_QUERIES -> admission.setLimits(now.maxRunning(), value == null
          ? config.maxQueuedQueries() : number(name, value));
      default -> throw new QuellException(SqlState.UNDEFINED_OBJECT,
          "unrecognized system setting \"" + name + "\" (there are " + MAX_RUNNING_QUERIES
              + " and " + MAX_QUEUED_QUERIES + ")");
    }
  }

  /** Every setting back to the node's start value. */
  void resetAll() {
    admission.setLimits(config.maxRunningQueries(), config.maxQueuedQueries());
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
          "invalid value for " + name + ": \"" + value + "\" (expected a whole number)");
    }
  }
}
