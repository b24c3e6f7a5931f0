package io.quell.session;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.memory.ByteSize;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A variable a session may SHOW, and SET and RESET unless it is read-only (those that describe
 * the session or the server), with PostgreSQL's spelling of values: durations are milliseconds
 * when bare numbers, or carry a unit ({@code '5s'}, {@code '1min'}); switches are {@code on}
 * or {@code off} (also {@code true}, {@code false}). Names are case-insensitive; SHOW spells
 * them, and PostgreSQL's own variables' values, as PostgreSQL does. Declared in the order SHOW
 * ALL lists them.
 *
 * <p>PostgreSQL's own variables are those its clients SET at startup and SHOW or read with
 * {@code current_setting()}: they hold what Quell does (UTF-8 text, ISO dates, read committed)
 * and accept exactly the settings that keep it so, whatever the client's spelling.
 */
public enum SessionVariable {
  APPLICATION_NAME(Type.TEXT, true, null),
  /**
   * The client's character set: only UTF-8, which Quell always speaks. SQL_ASCII, which libpq
   * sends in the C locale, is PostgreSQL's "bytes as they are", which UTF-8 text is to it.
   */
  CLIENT_ENCODING(true, "UTF8", "utf8", "utf-8", "utf_8", "unicode", "sql_ascii"),
  /** How dates are written (always ISO) and read; only the order of day and month varies. */
  DATESTYLE(Type.DATE_STYLE, true, "ISO, MDY"),
  /** Every Quell statement is its own transaction, at read committed. */
  DEFAULT_TRANSACTION_ISOLATION(true, "read committed", "read committed"),
  /**
   * PostgreSQL's extra digits of float output, for clients that set it; Quell writes floats in
   * their shortest exact form, which is PostgreSQL's for any value above 0.
   */
  EXTRA_FLOAT_DIGITS(Type.FLOAT_DIGITS, true, 1),
  IDLE_IN_SESSION_TIMEOUT(Type.DURATION, true, Duration.ZERO),
  INTEGER_DATETIMES(Type.TEXT, false, "on"),
  INTERVALSTYLE(true, "postgres", "postgres"),
  /** Whether the session's user is an admin, as it was when the session started. */
  IS_SUPERUSER(Type.SWITCH, false, Boolean.FALSE),
  /**
   * The most memory one query of the session may hold, in bytes; 0, the default, is no limit of
   * its own: the node's SQL memory pool is the limit.
   */
  MAX_QUERY_MEMORY(Type.BYTES, true, 0L),
  /** Whether the session's queries share prepared plans (the engine's plan cache). */
  PLAN_CACHE(Type.SWITCH, true, Boolean.TRUE),
  /**
   * The schemas unqualified names are looked up in; the session starts with its default
   * schema, and a SET of it changes the default schema to the first that exists.
   */
  SEARCH_PATH(Type.TEXT, true, ""),
  SERVER_ENCODING(Type.TEXT, false, "UTF8"),
  SERVER_VERSION(Type.TEXT, false, ServerVersion.POSTGRES),
  SERVER_VERSION_NUM(Type.TEXT, false, ServerVersion.POSTGRES_NUM),
  SESSION_ID(Type.TEXT, false, null),
  SESSION_USER(Type.TEXT, false, null),
  /** Quell's strings are always standard: a backslash is a backslash (E'...' escapes). */
  STANDARD_CONFORMING_STRINGS(true, "on", "on", "true", "yes", "1"),
  STATEMENT_TIMEOUT(Type.DURATION, true, Duration.ZERO),
  /**
   * The client's time zone, for clients that read timestamps with time zone by it; any zone
   * Java knows by name. Quell's timestamps have no time zone, so it changes no value.
   */
  TIMEZONE(Type.ZONE, true, "UTC"),
  TRANSACTION_ISOLATION(Type.TEXT, false, "read committed");

  private static final Map<String, SessionVariable> BY_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(SessionVariable::sqlName, Function.identity()));

  private static final Pattern DURATION =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|sec|min|m|h)?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** The time zones Java knows, by their names in lower case. */
  private static final Map<String, String> ZONES = ZoneId.getAvailableZoneIds().stream()
      .collect(Collectors.toUnmodifiableMap(z -> z.toLowerCase(Locale.ROOT), z -> z,
          (a, b) -> a));

  private final Type type;
  private final boolean settable;
  private final Object defaultValue;
  /** For {@link Type#FIXED}: how its one value may be written, in lower case. */
  private final List<String> spellings;

  /** {@code defaultValue} null: the session gives the value when it opens. */
  SessionVariable(Type type, boolean settable, Object defaultValue) {
    this.type = type;
    this.settable = settable;
    this.defaultValue = defaultValue;
    this.spellings = List.of();
  }

  /** A variable of one {@code value}, which SET accepts in any of {@code spellings}. */
  SessionVariable(boolean settable, String value, String... spellings) {
    this.type = Type.FIXED;
    this.settable = settable;
    this.defaultValue = value;
    this.spellings = List.of(spellings);
  }

  /** The variable's name in SQL, e.g. {@code statement_timeout}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name as PostgreSQL spells it, e.g. {@code TimeZone}: SHOW's column, SHOW ALL's row. */
  public String pgName() {
    return switch (this) {
      case DATESTYLE -> "DateStyle";
      case INTERVALSTYLE -> "IntervalStyle";
      case TIMEZONE -> "TimeZone";
      default -> sqlName();
    };
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
      case FIXED -> fixed(text);
      case FLOAT_DIGITS -> floatDigits(text);
      case ZONE -> zone(text);
      case DATE_STYLE -> dateStyle(text);
    };
  }

  /** {@code value} as SHOW displays it. */
  String format(Object value) {
    return switch (type) {
      case TEXT, FIXED, ZONE, DATE_STYLE -> (String) value;
      case DURATION -> format((Duration) value);
      case SWITCH -> (Boolean) value ? "on" : "off";
      case BYTES -> formatBytes((Long) value);
      case FLOAT_DIGITS -> value.toString();
    };
  }

  /** The kinds of value a variable holds. */
  private enum Type {
    TEXT,
    DURATION,
    SWITCH,
    BYTES,
    /** One value, in several spellings. */
    FIXED,
    /** A whole number from -15 to 3. */
    FLOAT_DIGITS,
    /** A time zone's name. */
    ZONE,
    /** ISO, with an order of day, month and year. */
    DATE_STYLE
  }

  private String fixed(String text) {
    if (!spellings.contains(text.trim().toLowerCase(Locale.ROOT))) {
      throw invalid(text, "Quell supports only " + defaultValue);
    }
    return (String) defaultValue;
  }

  private Integer floatDigits(String text) {
    try {
      int digits = Integer.parseInt(text.trim());
      if (digits >= -15 && digits <= 3) {
        return digits;
      }
    } catch (NumberFormatException e) {
      // as out of range
    }
    throw invalid(text, "a whole number from -15 to 3");
  }

  /**
   * A zone Java knows by name, in its spelling ({@code utc} is {@code UTC}), or one it reads
   * otherwise ({@code GMT+01:00}, which pgjdbc sends for such a JVM zone).
   */
  private String zone(String text) {
    String zone = ZONES.get(text.trim().toLowerCase(Locale.ROOT));
    if (zone != null) {
      return zone;
    }
    try {
      return ZoneId.of(text.trim()).getId();
    } catch (DateTimeException e) {
      throw invalid(text, "a time zone's name, such as UTC or Europe/Berlin");
    }
  }

  /**
   * PostgreSQL's DateStyle: words apart by commas or blanks, each an output style (only ISO
   * here) or an order of day and month; what is not given is ISO and MDY.
   */
  private String dateStyle(String text) {
    String order = "MDY";
    for (String word : text.trim().toUpperCase(Locale.ROOT).split("[,\\s]+")) {
      switch (word) {
        case "ISO" -> {
        }
        case "MDY", "US", "NONEURO", "NONEUROPEAN" -> order = "MDY";
        case "DMY", "EURO", "EUROPEAN" -> order = "DMY";
        case "YMD" -> order = "YMD";
        default -> throw invalid(text, "Quell writes dates only in ISO style");
      }
    }
    return "ISO, " + order;
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
        "invalid value for parameter \"" + pgName() + "\": \"" + text + "\"");
  }

  private QuellException invalid(String text, String hint) {
    return new QuellException(SqlState.INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"" + pgName() + "\": \"" + text + "\" (" + hint + ")");
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
