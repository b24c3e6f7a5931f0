package io.quell.engine.dialect;

import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/**
 * PostgreSQL's text of a timestamp in the form Calcite's cast reads
 * ({@code yyyy-MM-dd HH:mm:ss[.f]}): ISO 8601's {@code T} between date and time, as psycopg2
 * and most programs send a datetime, a time without seconds, a date alone (midnight), and an
 * offset or zone, which a timestamp without time zone ignores, as PostgreSQL's does. Text in
 * none of these forms is left for the cast to refuse (22007).
 */
public final class TimestampText {
  /** The function a cast of text to a timestamp calls first; no SQL names it. */
  static final SqlUserDefinedFunction FUNCTION = new SqlUserDefinedFunction(
      new SqlIdentifier("timestamp_text", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0, null,
      OperandTypes.operandMetadata(List.of(SqlTypeFamily.CHARACTER),
          types -> List.of(types.createSqlType(SqlTypeName.VARCHAR)), i -> "text", i -> false),
      ScalarFunctionImpl.create(TimestampText.class, "of"));

  private static final DateTimeFormatter INPUT = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart()
      .appendPattern("['T'][' ']")
      .appendValue(ChronoField.HOUR_OF_DAY, 1, 2, SignStyle.NEVER)
      .appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
      .optionalStart()
      .appendLiteral(':')
      .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart()
      .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .optionalEnd()
      .optionalEnd()
      .optionalEnd()
      .optionalStart()
      .appendPattern("[ ]")
      .appendPattern("[XXXXX][XXXX][XXX][XX][X]")
      .optionalEnd()
      .toFormatter();

  private TimestampText() {
  }

  /** {@code text} as Calcite's cast reads a timestamp; as it is if it is no timestamp. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    TemporalAccessor parsed;
    try {
      parsed = INPUT.parse(text.strip());
    } catch (DateTimeParseException e) {
      return text;
    }
    LocalDateTime value = parsed.isSupported(ChronoField.HOUR_OF_DAY)
        ? LocalDateTime.of(LocalDate.from(parsed), LocalTime.from(parsed))
        : LocalDate.from(parsed).atStartOfDay();
    String out = value.toLocalDate() + " " + String.format("%02d:%02d:%02d",
        value.getHour(), value.getMinute(), value.getSecond());
    int nanos = value.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
      out += "." + fraction;
    }
    return out;
  }
}
