package io.quell.session;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.memory.ByteSize;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A variable a session may SHOW, and SET and RESET unless it is read-only (those that describe
 * the session itself), with PostgreSQL's spelling of values: durations are milliseconds when
 * bare numbers, or carry a unit ({@code '5s'}, {@code '1min'}); switches are {@code on} or
 * {@code off} (also {@code true}, {@code false}). Declared in the order SHOW ALL
 * lists them.
 */
public enum SessionVariable {
  APPLICATION_NAME(Type.TEXT, true, null),
  IDLE_IN_SESSION_TIMEOUT(Type.DURATION, true, Duration.ZERO),
  /**
   * The most memory one query of the session may hold, in bytes; 0, the default, is no limit of
   * its own: the node's SQL memory pool is the limit.
   */
  MAX_QUERY_MEMORY(Type.BYTES, true, 0L),
  /** Whether the session's queries share prepared plans (the engine's plan cache). */
  PLAN_CACHE(Type.SWITCH, true, Boolean.TRUE),
  SESSION_ID(Type.TEXT, false, null),
  SESSION_USER(Type.TEXT, false, null),
  STATEMENT_TIMEOUT(Type.DURATION, true, Duration.ZERO);

  private static final Map<String, SessionVariable> BY_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(SessionVariable::sqlName, Function.identity()));

  private static final Pattern DURATION =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|sec|min|m|h)?\\s*",
          Pattern.CASE_INSENSITIVE);

  private final Type type;
  private final boolean settable;
  private final Object defaultValue;

  /** {@code defaultValue} null: the session gives the value when it opens. */
  SessionVariable(Type type, boolean settable, Object defaultValue) {
    this.type = type;
    this.settable = settable;
    this.defaultValue = defaultValue;
  }

  /** The variable's name in SQL, e.g. {@code statement_timeout}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean settable() {
    return settable;
  }

  /** The value before any SET; null when the session supplies it. */
  Object defaultValue() {
    return defaultValue;
  }

  /** The variable called {@code name}, in any case; 42704 if there is none. */
  public static SessionVariable named(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    SessionVariable variable = BY_NAME.get(key);
    if (variable == null) {
      throw new QuellException(SqlState.UNDEFINED_OBJECT,
          "unrecognized configuration parameter \"" + key + "\"");
    }
    return variable;
  }

  /** The value SET gives for {@code text}; 22023 if it is no value of this variable. */
  Object parse(String text) {
    return switch (type) {
      case TEXT -> text;
      case DURATION -> duration(text);
      case SWITCH -> onOff(text);
      case BYTES -> bytes(text);
    };
  }

  /** {@code value} as SHOW displays it. */
  String format(Object value) {
    return switch (type) {
      case TEXT -> (String) value;
      case DURATION -> format((Duration) value);
      case SWITCH -> (Boolean) value ? "on" : "off";
      case BYTES -> formatBytes((Long) value);
    };
  }

  /** The kinds of value a variable holds. */
  private enum Type {
    TEXT,
    DURATION,
    SWITCH,
    BYTES
  }

  private Boolean onOff(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true" -> Boolean.TRUE;
      case "off", "false" -> Boolean.FALSE;
      default -> throw invalid(text);
    };
  }

  private QuellException invalid(String text) {
    return new QuellException(SqlState.INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"" + sqlName() + "\": \"" + text + "\"");
  }

  /** A size as PostgreSQL spells them ({@code 64MB}, {@code 512kB}; units of 1024). */
  private Long bytes(String text) {
    long bytes = ByteSize.parse(text);
    if (bytes < 0) {
      throw invalid(text);
    }
    return bytes;
  }

  private static String formatBytes(long bytes) {
    String[] units = {"kB", "MB", "GB", "TB"};
    if (bytes == 0) {
      return "0";
    }
    if (bytes % 1024 != 0) {
      return bytes + "B";
    }
    long value = bytes / 1024;
    int unit = 0;
    while (value % 1024 == 0 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return value + units[unit];
  }

  /**
   * {@code text} as a duration setting spells it ({@code 500ms}, {@code 1s}, {@code 2min}; a
   * bare number is milliseconds), for a server option of the same kind; 22023 if it is none.
   */
  public static Duration parseDuration(String text) {
    return STATEMENT_TIMEOUT.duration(text);
  }

  private Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw invalid(text);
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

  private static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
