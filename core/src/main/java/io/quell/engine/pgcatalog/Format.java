package io.quell.engine.pgcatalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * PostgreSQL's {@code format(formatstr, args...)}, with which Metabase names the tables it
 * syncs ({@code format('%I.%I', schema, table)}): {@code %s} an argument as text (NULL as
 * nothing), {@code %I} as an identifier ({@link PgFunctions#quoteIdent}), {@code %L} as a
 * literal ({@link #quoteNullable}), {@code %%} a percent sign; each may take an argument's
 * position ({@code %2$s}), a width and the {@code -} flag to pad on the right. Unlike the
 * catalog's functions it is not strict: only a NULL format gives NULL. Calcite's reflective
 * functions take no variable arguments, so each count of arguments, up to eight, is a method;
 * the arguments arrive as text, to which the validator casts them.
 */
public final class Format {
  private static final int MAX_ARGUMENTS = 8;

  private Format() {
  }

  /** The function of each count of arguments. */
  static List<Function> functions() {
    return IntStream.rangeClosed(0, MAX_ARGUMENTS)
        .mapToObj(n -> (Function) ScalarFunctionImpl.create(
            PgFunctions.method(Format.class, "format" + n)))
        .toList();
  }

  public static String format0(String format) {
    return format(format);
  }

  public static String format1(String format, String a) {
    return format(format, a);
  }

  public static String format2(String format, String a, String b) {
    return format(format, a, b);
  }

  public static String format3(String format, String a, String b, String c) {
    return format(format, a, b, c);
  }

  public static String format4(String format, String a, String b, String c, String d) {
    return format(format, a, b, c, d);
  }

  public static String format5(String format, String a, String b, String c, String d,
      String e) {
    return format(format, a, b, c, d, e);
  }

  public static String format6(String format, String a, String b, String c, String d,
      String e, String f) {
    return format(format, a, b, c, d, e, f);
  }

  public static String format7(String format, String a, String b, String c, String d,
      String e, String f, String g) {
    return format(format, a, b, c, d, e, f, g);
  }

  public static String format8(String format, String a, String b, String c, String d,
      String e, String f, String g, String h) {
    return format(format, a, b, c, d, e, f, g, h);
  }

  /** {@code format} with {@code arguments} in its place holders; 22023 for a bad one. */
  static String format(String format, String... arguments) {
    if (format == null) {
      return null;
    }
    List<String> args = Arrays.asList(arguments);
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i < format.length() && format.charAt(i) == '%') {
        out.append('%');
        i++;
        continue;
      }
      int start = i;
      int number = 0;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        number = number * 10 + format.charAt(i++) - '0';
      }
      int position = next;
      if (i < format.length() && format.charAt(i) == '$' && i > start) {
        if (number == 0) {
          throw invalid("format specifies argument 0, but arguments are numbered from 1");
        }
        position = number - 1;
        i++;
        start = i;
      } else {
        i = start;
      }
      boolean left = false;
      while (i < format.length() && format.charAt(i) == '-') {
        left = true;
        i++;
      }
      int width = 0;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        width = width * 10 + format.charAt(i++) - '0';
      }
      if (i >= format.length()) {
        throw invalid("unterminated format() type specifier");
      }
      char type = format.charAt(i++);
      if (type != 's' && type != 'I' && type != 'L') {
        throw invalid("unrecognized format() type specifier \"" + type + "\"");
      }
      if (position >= args.size()) {
        throw invalid("too few arguments for format()");
      }
      String value = args.get(position);
      next = position + 1;
      String text = switch (type) {
        case 's' -> value == null ? "" : value;
        case 'I' -> {
          if (value == null) {
            throw new QuellException(SqlState.NULL_VALUE_NOT_ALLOWED,
                "null values cannot be formatted as an SQL identifier");
          }
          yield PgFunctions.quoteIdent(value);
        }
        default -> quoteNullable(value);
      };
      String padding = " ".repeat(Math.max(0, width - text.length()));
      out.append(left ? text + padding : padding + text);
    }
    return out.toString();
  }

  /**
   * {@code quote_nullable(value)}: {@code value} as an SQL string literal, or {@code NULL}; a
   * literal with a backslash is written {@code E'...'} with the backslash doubled, so that it
   * reads back the same either way.
   */
  public static String quoteNullable(String value) {
    if (value == null) {
      return "NULL";
    }
    String quoted = "'" + value.replace("'", "''").replace("\\", "\\\\") + "'";
    return value.indexOf('\\') >= 0 ? "E" + quoted : quoted;
  }

  private static QuellException invalid(String message) {
    return new QuellException(SqlState.INVALID_PARAMETER_VALUE, message);
  }
}
