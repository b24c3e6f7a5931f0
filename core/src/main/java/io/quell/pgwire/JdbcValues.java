package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * The values of the embedded JDBC connection as the wire formats take them: each PostgreSQL
 * type read from a result set, and each parameter set on a statement, as one Java class
 * (Boolean, Short, Integer, Long, Float, Double, BigDecimal, LocalDate, LocalTime,
 * LocalDateTime, OffsetDateTime, byte[], String). Dates and times pass through JDBC with a UTC
 * calendar, which leaves Calcite's zone-less values as they are, whatever the JVM's zone.
 */
final class JdbcValues {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private JdbcValues() {
  }

  private static Calendar utc() {
    return Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC));
  }

  /** Column {@code i} of the current row as a value of {@code type}; null for SQL NULL. */
  static Object read(ResultSet rows, int i, PgType type) throws SQLException {
    Object value = switch (type) {
      case BOOL -> rows.getBoolean(i);
      case INT2 -> rows.getShort(i);
      case INT4 -> rows.getInt(i);
      case INT8 -> rows.getLong(i);
      case FLOAT4 -> rows.getFloat(i);
      case FLOAT8 -> rows.getDouble(i);
      case NUMERIC -> rows.getBigDecimal(i);
      case DATE -> {
        Date date = rows.getDate(i, utc());
        yield date == null ? null : LocalDate.ofEpochDay(Math.floorDiv(date.getTime(),
            MILLIS_PER_DAY));
      }
      case TIME -> {
        Time time = rows.getTime(i, utc());
        yield time == null ? null : LocalTime.ofNanoOfDay(
            Math.floorMod(time.getTime(), MILLIS_PER_DAY) * 1_000_000);
      }
      case TIMESTAMP -> {
        Timestamp timestamp = rows.getTimestamp(i, utc());
        yield timestamp == null ? null
            : LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC);
      }
      case TIMESTAMPTZ -> {
        Timestamp timestamp = rows.getTimestamp(i, utc());
        yield timestamp == null ? null : timestamp.toInstant().atOffset(ZoneOffset.UTC);
      }
      case BYTEA -> rows.getBytes(i);
      default -> type.element().isPresent() ? elements(rows.getArray(i), type.element().get())
          : rows.getString(i);
    };
    return rows.wasNull() ? null : value;
  }

  /** The values of {@code array}'s elements, each read as {@code element}; null for none. */
  private static List<Object> elements(Array array, PgType element) throws SQLException {
    if (array == null) {
      return null;
    }
    List<Object> values = new ArrayList<>();
    try (ResultSet elements = array.getResultSet()) {
      while (elements.next()) {
        values.add(read(elements, 2, element));
      }
    }
    return values;
  }

  /**
   * Sets parameter {@code i} of {@code statement}, whose type is {@code type}, to
   * {@code value}, which the client sent as a value of {@code sent}: converted as PostgreSQL
   * assigns a parameter to its place, 22003 out of the range of the type, 42804 where there is
   * no such conversion.
   */
  static void set(PreparedStatement statement, int i, Object value, PgType sent, PgType type,
      int jdbcType) throws SQLException {
    if (value == null) {
      statement.setNull(i, jdbcType);
      return;
    }
    Object converted = convert(value, sent, type);
    switch (type) {
      case BOOL -> statement.setBoolean(i, (Boolean) converted);
      case INT2 -> statement.setShort(i, (Short) converted);
      case INT4 -> statement.setInt(i, (Integer) converted);
      case INT8 -> statement.setLong(i, (Long) converted);
      case FLOAT4 -> statement.setFloat(i, (Float) converted);
      case FLOAT8 -> statement.setDouble(i, (Double) converted);
      case NUMERIC -> statement.setBigDecimal(i, (BigDecimal) converted);
      case DATE -> statement.setDate(i,
          new Date(((LocalDate) converted).toEpochDay() * MILLIS_PER_DAY), utc());
      case TIME -> statement.setTime(i,
          new Time(((LocalTime) converted).toNanoOfDay() / 1_000_000), utc());
      case TIMESTAMP -> statement.setTimestamp(i,
          Timestamp.from(((LocalDateTime) converted).toInstant(ZoneOffset.UTC)), utc());
      case TIMESTAMPTZ -> statement.setTimestamp(i,
          Timestamp.from(((OffsetDateTime) converted).toInstant()), utc());
      case BYTEA -> statement.setBytes(i, (byte[]) converted);
      default -> statement.setString(i, (String) converted);
    }
  }

  /** {@code value}, of {@code from}, as a value of {@code to}. */
  static Object convert(Object value, PgType from, PgType to) {
    if (value instanceof String text && !isText(to)) {
      return PgText.parse(text, to);
    }
    try {
      return switch (to) {
        case BOOL -> (Boolean) cast(value, Boolean.class, from, to);
        case INT2 -> exact(value, from, to).shortValueExact();
        case INT4 -> exact(value, from, to).intValueExact();
        case INT8 -> exact(value, from, to).longValueExact();
        case FLOAT4 -> ((Number) cast(value, Number.class, from, to)).floatValue();
        case FLOAT8 -> ((Number) cast(value, Number.class, from, to)).doubleValue();
        case NUMERIC -> decimal(value, from, to);
        case DATE -> value instanceof LocalDateTime t ? t.toLocalDate()
            : cast(value, LocalDate.class, from, to);
        case TIME -> value instanceof LocalDateTime t ? t.toLocalTime()
            : cast(value, LocalTime.class, from, to);
        case TIMESTAMP -> value instanceof LocalDate d ? d.atStartOfDay()
            : value instanceof OffsetDateTime t
                ? t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                : cast(value, LocalDateTime.class, from, to);
        case TIMESTAMPTZ -> value instanceof LocalDateTime t ? t.atOffset(ZoneOffset.UTC)
            : value instanceof LocalDate d ? d.atStartOfDay().atOffset(ZoneOffset.UTC)
                : cast(value, OffsetDateTime.class, from, to);
        case BYTEA -> cast(value, byte[].class, from, to);
        default -> value instanceof String s ? s : PgText.format(value, from);
      };
    } catch (ArithmeticException e) {
      throw new QuellException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value " + PgText.format(value, from) + " is out of range for type " + to.typname());
    }
  }

  private static boolean isText(PgType type) {
    return switch (type) {
      case BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC, DATE, TIME, TIMESTAMP, TIMESTAMPTZ,
          BYTEA -> false;
      default -> true;
    };
  }

  /**
   * A number for an integer type, rounded half away from zero as PostgreSQL's cast from
   * numeric rounds; out of range fails when it is narrowed.
   */
  private static BigDecimal exact(Object value, PgType from, PgType to) {
    return decimal(value, from, to).setScale(0, RoundingMode.HALF_UP);
  }

  private static BigDecimal decimal(Object value, PgType from, PgType to) {
    Number number = cast(value, Number.class, from, to);
    if (number instanceof BigDecimal d) {
      return d;
    }
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new ArithmeticException();
      }
      return new BigDecimal(number.toString());
    }
    return BigDecimal.valueOf(number.longValue());
  }

  private static <T> T cast(Object value, Class<T> type, PgType from, PgType to) {
    if (!type.isInstance(value)) {
      throw new QuellException(SqlState.DATATYPE_MISMATCH, "a parameter of type "
          + from.typname() + " cannot be used as a value of type " + to.typname());
    }
    return type.cast(value);
  }
}
