package io.quell.server.console;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServletRequest;

/**
 * The query-string parameters of one API request, read and checked before anything runs: a
 * parameter the endpoint does not know, a repeated one, a number out of range or a sort column
 * that is not a plain column name is refused with 22023 naming it.
 */
final class Params {
  /** The most rows one page may hold. */
  static final int MAX_LIMIT = 1000;
  private static final int MAX_TEXT = 1000;
  /** A column name as SHOW and the system tables spell them; anything else is not a column. */
  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Map<String, String[]> values;

  private Params(Map<String, String[]> values) {
    this.values = values;
  }

  /** The parameters of {@code request}, which may only be among {@code known}. */
  static Params of(HttpServletRequest request, Set<String> known) {
    Map<String, String[]> values = request.getParameterMap();
    for (Map.Entry<String, String[]> e : values.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw ConsoleException.badRequest("unknown parameter '" + e.getKey()
            + "'; this endpoint takes " + String.join(", ", known.stream().sorted().toList()));
      }
      if (e.getValue().length != 1) {
        throw ConsoleException.badRequest("parameter '" + e.getKey() + "' is given "
            + e.getValue().length + " times");
      }
    }
    return new Params(values);
  }

  /** A text filter; empty when absent or blank. */
  Optional<String> text(String name) {
    String[] v = values.get(name);
    if (v == null || v[0].isBlank()) {
      return Optional.empty();
    }
    if (v[0].length() > MAX_TEXT) {
      throw ConsoleException.badRequest("parameter '" + name + "' is longer than " + MAX_TEXT
          + " characters");
    }
    return Optional.of(v[0].strip());
  }

  int integer(String name, int defaultValue, int min, int max) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw ConsoleException.badRequest("parameter '" + name + "' must be an integer from " + min
        + " to " + max + ", not '" + v.get() + "'");
  }

  boolean flag(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty() || v.get().equalsIgnoreCase("false")) {
      return false;
    }
    if (v.get().equalsIgnoreCase("true")) {
      return true;
    }
    throw ConsoleException.badRequest("parameter '" + name + "' must be true or false, not '"
        + v.get() + "'");
  }

  /** One of {@code choices} (given in upper case), matched ignoring case. */
  Optional<String> choice(String name, Set<String> choices) {
    Optional<String> v = text(name).map(s -> s.toUpperCase(Locale.ROOT));
    if (v.isPresent() && !choices.contains(v.get())) {
      throw ConsoleException.badRequest("parameter '" + name + "' must be one of "
          + String.join(", ", choices.stream().sorted().toList()) + ", not '"
          + text(name).get() + "'");
    }
    return v;
  }

  /**
   * A column name to sort by. Only its form is checked here; a name the listing has no column
   * of is refused by the engine, as in SQL, so new columns can be sorted by as they come.
   */
  String column(String name, String defaultValue) {
    Optional<String> v = text(name);
    if (v.isPresent() && !COLUMN.matcher(v.get()).matches()) {
      throw ConsoleException.badRequest("parameter '" + name + "' must be a column name, not '"
          + v.get() + "'");
    }
    return v.orElse(defaultValue);
  }
}
