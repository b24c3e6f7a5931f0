package io.quell.session;

import io.quell.error.QuellException;
import io.quell.error.SqlState;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables a session may SET, SHOW and RESET, with PostgreSQL's spelling of values:
 * durations are milliseconds when bare numbers, or carry a unit ({@code '5s'}, {@code '1min'}).
 * Read-only variables ({@code session_id}, {@code session_user}) describe the session itself.
 */
public final class SessionVariables {
  public static final String APPLICATION_NAME = "application_name";
  public static final String STATEMENT_TIMEOUT = "statement_timeout";
  public static final String IDLE_IN_SESSION_TIMEOUT = "idle_in_session_timeout";
  public static final String SESSION_ID = "session_id";
  public static final String SESSION_USER = "session_user";

  private static final Pattern DURATION =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|sec|min|m|h)?\\s*",
          Pattern.CASE_INSENSITIVE);

  private final Session session;
  private final String initialApplicationName;
  private final Map<String, String> settable = new ConcurrentHashMap<>();
  private volatile Duration statementTimeout = Duration.ZERO;
  private volatile Duration idleTimeout = Duration.ZERO;

  SessionVariables(Session session, String applicationName) {
    this.session = session;
    this.initialApplicationName = applicationName;
    settable.put(APPLICATION_NAME, applicationName);
  }

  /** Whether {@code name} is a variable SHOW can display (used at parse-rewrite time). */
  public static boolean isKnown(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case APPLICATION_NAME, STATEMENT_TIMEOUT, IDLE_IN_SESSION_TIMEOUT, SESSION_ID, SESSION_USER ->
          true;
      default -> false;
    };
  }

  public String applicationName() {
    return settable.get(APPLICATION_NAME);
  }

  public Duration statementTimeout() {
    return statementTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** SET name = value; {@code value} null means RESET. */
  public void set(String name, String value) {
    String key = name.toLowerCase(Locale.ROOT);
    switch (key) {
    case APPLICATION_NAME ->
        settable.put(key, value == null ? initialApplicationName : value);
    case STATEMENT_TIMEOUT -> statementTimeout = value == null ? Duration.ZERO : duration(key, value);
    case IDLE_IN_SESSION_TIMEOUT -> idleTimeout = value == null ? Duration.ZERO : duration(key, value);
    case SESSION_ID, SESSION_USER -> throw new QuellException(SqlState.CANT_CHANGE_RUNTIME_PARAM,
        "parameter \"" + key + "\" cannot be changed");
    default -> throw unknown(key);
    }
  }

  /** RESET ALL: every settable variable back to its value at connect time. */
  public void resetAll() {
    for (String name : new String[] {APPLICATION_NAME, STATEMENT_TIMEOUT, IDLE_IN_SESSION_TIMEOUT}) {
      set(name, null);
    }
  }

  public String show(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return switch (key) {
    case APPLICATION_NAME -> applicationName();
    case STATEMENT_TIMEOUT -> format(statementTimeout);
    case IDLE_IN_SESSION_TIMEOUT -> format(idleTimeout);
    case SESSION_ID -> session.id().toString();
    case SESSION_USER -> session.user();
    default -> throw unknown(key);
    };
  }

  /** Every variable and its value, in a stable order, for SHOW ALL. */
  public Map<String, String> all() {
    Map<String, String> all = new LinkedHashMap<>();
    for (String name : new String[] {APPLICATION_NAME, IDLE_IN_SESSION_TIMEOUT, SESSION_ID,
        SESSION_USER, STATEMENT_TIMEOUT}) {
      all.put(name, show(name));
    }
    return all;
  }

  private static QuellException unknown(String name) {
    return new QuellException(SqlState.UNDEFINED_OBJECT,
        "unrecognized configuration parameter \"" + name + "\"");
  }

  static Duration duration(String name, String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"" + name + "\": \"" + value + "\"");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    double nanosPerUnit = switch (unit) {
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s", "sec" -> 1e9;
      case "m", "min" -> 60e9;
      default -> 3600e9;
    };
    return Duration.ofNanos((long) (amount * nanosPerUnit));
  }

  static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
