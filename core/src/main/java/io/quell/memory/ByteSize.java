package io.quell.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts as people read them in messages: {@code 63.8 MiB}. */
public final class ByteSize {
  private static final String[] UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB"};

  /** PostgreSQL's memory units (powers of 1024), their IEC spellings, or none: bytes. */
  private static final Pattern SIZE = Pattern.compile(
      "\\s*(\\d+(?:\\.\\d+)?)\\s*(b|bytes?|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?\\s*",
      Pattern.CASE_INSENSITIVE);

  private ByteSize() {
  }

  /**
   * The bytes {@code text} says ({@code 64MB}, {@code 1.5 GiB}, {@code 1048576}); -1 if it is
   * no size.
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return -1;
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int power = switch (unit.charAt(0)) {
      case 'k' -> 1;
      case 'm' -> 2;
      case 'g' -> 3;
      case 't' -> 4;
      default -> 0;
    };
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
    return bytes > Long.MAX_VALUE ? -1 : (long) bytes;
  }

  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
