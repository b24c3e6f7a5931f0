package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * PostgreSQL's binary format of values ({@code int4send}, {@code numeric_send},
 * {@code timestamp_send} ...), both ways, for the types {@link PgType#ofJdbc} gives: integers
 * and floats big-endian, numeric in base-10000 digits, dates as days and times as microseconds
 * from PostgreSQL's epoch 2000-01-01, text as UTF-8. Values are those of {@link JdbcValues}.
 */
final class PgBinary {
  private static final LocalDate EPOCH_DATE = LocalDate.of(2000, 1, 1);
  private static final LocalDateTime EPOCH = EPOCH_DATE.atStartOfDay();
  private static final int NUMERIC_POSITIVE = 0x0000;
  private static final int NUMERIC_NEGATIVE = 0x4000;
  private static final int NUMERIC_NAN = 0xC000;
  private static final BigInteger NBASE = BigInteger.valueOf(10_000);

  private PgBinary() {
  }

  /** Writes {@code value}, of {@code type}, to {@code out}, without its length. */
  static void write(Object value, PgType type, ByteBuf out) {
    switch (type) {
      case BOOL -> out.writeByte((Boolean) value ? 1 : 0);
      case INT2 -> out.writeShort(((Number) value).shortValue());
      case INT4, OID -> out.writeInt(((Number) value).intValue());
      case INT8 -> out.writeLong(((Number) value).longValue());
      case FLOAT4 -> out.writeFloat(((Number) value).floatValue());
      case FLOAT8 -> out.writeDouble(((Number) value).doubleValue());
      case NUMERIC -> numeric((BigDecimal) value, out);
      case DATE -> out.writeInt((int) ChronoUnit.DAYS.between(EPOCH_DATE, (LocalDate) value));
      case TIME -> out.writeLong(((LocalTime) value).toNanoOfDay() / 1000);
      case TIMESTAMP -> out.writeLong(ChronoUnit.MICROS.between(EPOCH, (LocalDateTime) value));
      case TIMESTAMPTZ -> out.writeLong(ChronoUnit.MICROS.between(EPOCH,
          ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()));
      case BYTEA -> out.writeBytes((byte[]) value);
      default -> {
        if (value instanceof List<?> elements && type.element().isPresent()) {
          array(elements, type.element().get(), out);
        } else {
          out.writeCharSequence(value instanceof String s ? s : PgText.format(value, type),
              StandardCharsets.UTF_8);
        }
      }
    }
  }

  /**
   * A one-dimensional array in PostgreSQL's binary form: dimensions, whether any element is
   * NULL, the element type, the length and lower bound (1), then each element, its length
   * first (-1 for NULL). An empty array has no dimension.
   */
  private static void array(List<?> elements, PgType element, ByteBuf out) {
    out.writeInt(elements.isEmpty() ? 0 : 1);
    out.writeInt(elements.contains(null) ? 1 : 0);
    out.writeInt(element.oid());
    if (!elements.isEmpty()) {
      out.writeInt(elements.size());
      out.writeInt(1);
    }
    for (Object value : elements) {
      if (value == null) {
        out.writeInt(-1);
        continue;
      }
      int lengthAt = out.writerIndex();
      out.writeInt(0);
      write(value, element, out);
      out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
  }

  /**
   * The value of a parameter of {@code type} in binary format, all of {@code in}; 22P03 when
   * its length does not fit the type, 0A000 for a type without a binary format here.
   */
  static Object read(ByteBuf in, PgType type) {
    int length = in.readableBytes();
    Object value = switch (type) {
      case BOOL -> sized(in, 1, type).readByte() != 0;
      case INT2 -> sized(in, 2, type).readShort();
      case INT4, OID -> sized(in, 4, type).readInt();
      case INT8 -> sized(in, 8, type).readLong();
      case FLOAT4 -> sized(in, 4, type).readFloat();
      case FLOAT8 -> sized(in, 8, type).readDouble();
      case NUMERIC -> numeric(in);
      case DATE -> EPOCH_DATE.plusDays(sized(in, 4, type).readInt());
      case TIME -> LocalTime.ofNanoOfDay(sized(in, 8, type).readLong() * 1000);
      case TIMESTAMP -> EPOCH.plus(sized(in, 8, type).readLong(), ChronoUnit.MICROS);
      case TIMESTAMPTZ -> EPOCH.plus(sized(in, 8, type).readLong(), ChronoUnit.MICROS)
          .atOffset(ZoneOffset.UTC);
      case BYTEA -> {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        yield bytes;
      }
      case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN ->
          in.readCharSequence(length, StandardCharsets.UTF_8).toString();
      default -> throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
          "binary format of type " + type.typname() + " is not supported");
    };
    if (in.isReadable()) {
      throw malformed(type);
    }
    return value;
  }

  private static ByteBuf sized(ByteBuf in, int bytes, PgType type) {
    if (in.readableBytes() != bytes) {
      throw malformed(type);
    }
    return in;
  }

  private static QuellException malformed(PgType type) {
    return new QuellException(SqlState.INVALID_BINARY_REPRESENTATION,
        "incorrect binary data format for type " + type.typname());
  }

  /**
   * numeric_send: digit count, weight of the first digit (in powers of 10000), sign, display
   * scale, then the base-10000 digits without leading or trailing zero digits.
   */
  private static void numeric(BigDecimal value, ByteBuf out) {
    int scale = Math.max(value.scale(), 0);
    BigDecimal abs = value.abs().setScale(scale, RoundingMode.UNNECESSARY);
    // Padded to whole base-10000 digits on both sides of the point.
    int fractionDigits = (scale + 3) / 4;
    BigInteger units = abs.movePointRight(fractionDigits * 4).toBigIntegerExact();
    short[] digits = new short[0];
    int count = 0;
    while (units.signum() > 0) {
      BigInteger[] split = units.divideAndRemainder(NBASE);
      if (count == digits.length) {
        digits = java.util.Arrays.copyOf(digits, Math.max(4, count * 2));
      }
      digits[count++] = split[1].shortValue();
      units = split[0];
    }
    // digits[0] is the least significant: its weight is -fractionDigits.
    int low = 0;
    while (low < count && digits[low] == 0) {
      low++;
    }
    int weight = count - 1 - fractionDigits;
    out.writeShort(count - low);
    out.writeShort(count == low ? 0 : weight);
    out.writeShort(value.signum() < 0 ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE);
    out.writeShort(scale);
    for (int i = count - 1; i >= low; i--) {
      out.writeShort(digits[i]);
    }
  }

  private static BigDecimal numeric(ByteBuf in) {
    if (in.readableBytes() < 8) {
      throw malformed(PgType.NUMERIC);
    }
    int count = in.readUnsignedShort();
    int weight = in.readShort();
    int sign = in.readUnsignedShort();
    int scale = in.readUnsignedShort();
    if (sign == NUMERIC_NAN) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
          "numeric NaN is not supported");
    }
    if (sign != NUMERIC_POSITIVE && sign != NUMERIC_NEGATIVE
        || in.readableBytes() != count * 2) {
      throw malformed(PgType.NUMERIC);
    }
    BigInteger units = BigInteger.ZERO;
    for (int i = 0; i < count; i++) {
      int digit = in.readShort();
      if (digit < 0 || digit >= 10_000) {
        throw malformed(PgType.NUMERIC);
      }
      units = units.multiply(NBASE).add(BigInteger.valueOf(digit));
    }
    // The last digit read has weight (weight - count + 1).
    BigDecimal value = new BigDecimal(units).movePointRight((weight - count + 1) * 4);
    if (sign == NUMERIC_NEGATIVE) {
      value = value.negate();
    }
    return value.setScale(scale, RoundingMode.HALF_UP);
  }
}
