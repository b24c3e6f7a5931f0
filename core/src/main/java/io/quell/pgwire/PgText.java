package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's text format of values, both ways: how {@code float8out}, {@code date_out},
 * {@code byteaout} (hex) and the others spell a value, so that a client parsing text reads
 * what it would read from PostgreSQL, and the spellings a client sends for parameters. Values
 * are those of {@link JdbcValues}: Boolean, Short, Integer, Long, Float, Double, BigDecimal,
 * LocalDate, LocalTime, LocalDateTime, OffsetDateTime (timestamptz, shown at its offset),
 * byte[] and String.
 */
final class PgText {
  /** Fractional seconds as PostgreSQL shows them: up to microseconds, no trailing zeros. */
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .appendPattern("HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
      .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd",
      Locale.ROOT);
  /** What clients send: a space or a T between date and time, an optional zone. */
  private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ')
      .optionalEnd().optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
      .optionalStart().appendOffset("+HH:mm:ss", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);
  /** The exponent at which float8out (Ryu's shortest output) switches to exponential form. */
  private static final int DOUBLE_FIXED_LIMIT = 15;
  private static final int FLOAT_FIXED_LIMIT = 6;

  private PgText() {
  }

  /** {@code value}, of {@code type}, as PostgreSQL's text output spells it. */
  static String format(Object value, PgType type) {
    if (value instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (value instanceof Double d) {
      return shortest(d, DOUBLE_FIXED_LIMIT, Double.toString(d));
    }
    if (value instanceof Float f) {
      return shortest(f, FLOAT_FIXED_LIMIT, Float.toString(f));
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof LocalDate d) {
      return DATE.format(d);
    }
    if (value instanceof LocalTime t) {
      return TIME.format(t);
    }
    if (value instanceof LocalDateTime t) {
      return DATE.format(t) + ' ' + TIME.format(t);
    }
    if (value instanceof OffsetDateTime t) {
      return format(t.toLocalDateTime(), PgType.TIMESTAMP) + offset(t.getOffset());
    }
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof List<?> elements && type.element().isPresent()) {
      return array(elements, type.element().get());
    }
    return value.toString();
  }

  /**
   * An array as PostgreSQL's text spells it, {@code {1,NULL,"a b"}}: an element in double
   * quotes, with backslashes before quotes and backslashes, if it is empty, is the word NULL,
   * or holds a blank, a comma, a brace or a quote.
   */
  private static String array(List<?> elements, PgType element) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Object value = elements.get(i);
      if (value == null) {
        out.append("NULL");
        continue;
      }
      String text = format(value, element);
      if (text.isEmpty() || text.equalsIgnoreCase("NULL")
          || text.chars().anyMatch(c -> Character.isWhitespace(c) || "{},\"\\".indexOf(c) >= 0)) {
        out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else {
        out.append(text);
      }
    }
    return out.append('}').toString();
  }

  /** A zone offset as PostgreSQL shows it: {@code +00}, {@code -05}, {@code +05:30}. */
  private static String offset(ZoneOffset offset) {
    int seconds = offset.getTotalSeconds();
    int magnitude = Math.abs(seconds);
    String text = String.format(Locale.ROOT, "%s%02d", seconds < 0 ? "-" : "+",
        magnitude / 3600);
    if (magnitude % 3600 != 0) {
      text += String.format(Locale.ROOT, ":%02d", magnitude % 3600 / 60);
    }
    if (magnitude % 60 != 0) {
      text += String.format(Locale.ROOT, ":%02d", magnitude % 60);
    }
    return text;
  }

  /**
   * {@code value}'s shortest exact digits ({@code javaText}, Java's own shortest form) as
   * PostgreSQL's Ryu output writes them: fixed notation for decimal exponents from -4 to below
   * {@code fixedLimit}, else {@code d.ddde+XX}.
   */
  private static String shortest(double value, int fixedLimit, String javaText) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return 1 / value < 0 ? "-0" : "0";
    }
    BigDecimal exact = new BigDecimal(javaText).stripTrailingZeros();
    int exponent = exact.precision() - exact.scale() - 1;
    if (exponent >= -4 && exponent < fixedLimit) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    StringBuilder text = new StringBuilder();
    if (exact.signum() < 0) {
      text.append('-');
    }
    text.append(digits.charAt(0));
    if (digits.length() > 1) {
      text.append('.').append(digits, 1, digits.length());
    }
    text.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      text.append('0');
    }
    return text.append(magnitude).toString();
  }

  /**
   * The value of {@code text}, a parameter of {@code type} in text format; 22P02 when it is no
   * value of that type.
   */
  static Object parse(String text, PgType type) {
    String trimmed = text.trim();
    try {
      return switch (type) {
        case BOOL -> bool(trimmed);
        case INT2 -> Short.parseShort(trimmed);
        case INT4, OID, REGPROC, REGCLASS, REGTYPE -> Integer.parseInt(trimmed);
        case INT8 -> Long.parseLong(trimmed);
        case FLOAT4 -> (float) floating(trimmed);
        case FLOAT8 -> floating(trimmed);
        case NUMERIC -> new BigDecimal(trimmed);
        case DATE -> LocalDate.parse(trimmed, TIMESTAMP_IN);
        case TIME -> LocalTime.parse(trimmed);
        case TIMESTAMP -> LocalDateTime.parse(trimmed, TIMESTAMP_IN);
        case TIMESTAMPTZ -> timestamptz(trimmed);
        case BYTEA -> bytea(text);
        default -> text;
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw invalid(type, text);
    }
  }

  static QuellException invalid(PgType type, String text) {
    return new QuellException(SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type " + type.typname() + ": \"" + text + "\"");
  }

  /** Every spelling PostgreSQL's boolin accepts: a prefix of true/false/yes/no, on/off, 1/0. */
  private static Boolean bool(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (!t.isEmpty() && ("true".startsWith(t) || "yes".startsWith(t) || t.equals("on")
        || t.equals("1"))) {
      return Boolean.TRUE;
    }
    if (!t.isEmpty() && ("false".startsWith(t) || "no".startsWith(t) || t.equals("off")
        || t.equals("of") || t.equals("0"))) {
      return Boolean.FALSE;
    }
    throw new NumberFormatException(text);
  }

  private static double floating(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "nan" -> Double.NaN;
      case "infinity", "inf", "+infinity", "+inf" -> Double.POSITIVE_INFINITY;
      case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (text.endsWith("d") || text.endsWith("f") || text.endsWith("D")
            || text.endsWith("F")) {
          throw new NumberFormatException(text); // Java's suffixes are no PostgreSQL spelling
        }
        yield Double.parseDouble(text);
      }
    };
  }

  /** A timestamptz; one without a zone is in UTC, the zone its values are shown in. */
  private static OffsetDateTime timestamptz(String text) {
    var parsed = TIMESTAMP_IN.parse(text);
    LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed),
        parsed.isSupported(ChronoField.NANO_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT);
    ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
        ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
    return OffsetDateTime.of(local, offset);
  }

  /** bytea input: hex ({@code \x0a1b}) or the escape format ({@code a\\b\\001}). */
  private static byte[] bytea(String text) {
    if (text.startsWith("\\x")) {
      String hex = text.substring(2).replaceAll("\\s", "");
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new NumberFormatException(text);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '\\') {
        continue;
      }
      bytes.writeBytes(text.substring(run, i).getBytes(StandardCharsets.UTF_8));
      if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
        bytes.write('\\');
        i++;
      } else if (i + 3 < text.length() && octal(text, i + 1)) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        throw new NumberFormatException(text);
      }
      run = i + 1;
    }
    bytes.writeBytes(text.substring(run).getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  private static boolean octal(String text, int from) {
    return text.charAt(from) >= '0' && text.charAt(from) <= '3'
        && text.charAt(from + 1) >= '0' && text.charAt(from + 1) <= '7'
        && text.charAt(from + 2) >= '0' && text.charAt(from + 2) <= '7';
  }
}
