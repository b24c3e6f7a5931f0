package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quell.engine.pgcatalog.PgType;
import io.quell.error.QuellException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Values in PostgreSQL's text and binary formats, as PostgreSQL 13 writes them (the expected
 * spellings and bytes are PostgreSQL's own output), and read back.
 */
class ValueFormatsTest {
  private static byte[] binary(Object value, PgType type) {
    ByteBuf out = Unpooled.buffer();
    PgBinary.write(value, type, out);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  private static Object roundTrip(Object value, PgType type) {
    return PgBinary.read(Unpooled.wrappedBuffer(binary(value, type)), type);
  }

  @Test void textSpellingsArePostgresqls() {
    assertEquals("t", PgText.format(true, PgType.BOOL));
    assertEquals("0.1", PgText.format(0.1, PgType.FLOAT8));
    assertEquals("1e+20", PgText.format(1e20, PgType.FLOAT8));
    assertEquals("123456789012345", PgText.format(123456789012345.0, PgType.FLOAT8));
    assertEquals("1.23456789012346e+15", PgText.format(1234567890123460.0, PgType.FLOAT8));
    assertEquals("0.0001", PgText.format(0.0001, PgType.FLOAT8));
    assertEquals("1e-05", PgText.format(0.00001, PgType.FLOAT8));
    assertEquals("-2.5", PgText.format(-2.5, PgType.FLOAT8));
    assertEquals("NaN", PgText.format(Double.NaN, PgType.FLOAT8));
    assertEquals("-Infinity", PgText.format(Double.NEGATIVE_INFINITY, PgType.FLOAT8));
    assertEquals("-0", PgText.format(-0.0, PgType.FLOAT8));
    assertEquals("1.5", PgText.format(1.5f, PgType.FLOAT4));
    assertEquals("1e+06", PgText.format(1e6f, PgType.FLOAT4));
    assertEquals("100000", PgText.format(1e5f, PgType.FLOAT4));
    assertEquals("1000", PgText.format(new BigDecimal("1E+3"), PgType.NUMERIC));
    assertEquals("2024-01-02", PgText.format(LocalDate.of(2024, 1, 2), PgType.DATE));
    assertEquals("03:04:05.12", PgText.format(LocalTime.of(3, 4, 5, 120_000_000),
        PgType.TIME));
    assertEquals("2024-01-02 03:04:05", PgText.format(LocalDateTime.of(2024, 1, 2, 3, 4, 5),
        PgType.TIMESTAMP));
    assertEquals("2024-01-02 03:04:05.000001+05:30", PgText.format(
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 1000, ZoneOffset.ofHoursMinutes(5, 30)),
        PgType.TIMESTAMPTZ));
    assertEquals("2024-01-02 03:04:05+00", PgText.format(
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), PgType.TIMESTAMPTZ));
    assertEquals("\\x00ff10", PgText.format(new byte[] {0, -1, 16}, PgType.BYTEA));
  }

  @Test void textParametersReadEveryPostgresqlSpelling() {
    for (String yes : new String[] {"t", "TRUE", "yes", "on", "1", "y"}) {
      assertEquals(true, PgText.parse(yes, PgType.BOOL), yes);
    }
    for (String no : new String[] {"f", "false", "NO", "off", "0"}) {
      assertEquals(false, PgText.parse(no, PgType.BOOL), no);
    }
    assertEquals(Double.POSITIVE_INFINITY, PgText.parse("Infinity", PgType.FLOAT8));
    assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000),
        PgText.parse("2024-01-02 03:04:05.5+01", PgType.TIMESTAMP));
    assertEquals(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-3)),
        PgText.parse("2024-01-02 03:04:05-03", PgType.TIMESTAMPTZ));
    assertEquals(LocalDate.of(2024, 1, 2), PgText.parse("2024-01-02", PgType.DATE));
    assertArrayEquals(new byte[] {0, -1}, (byte[]) PgText.parse("\\x00FF", PgType.BYTEA));
    assertArrayEquals(new byte[] {'a', '\\', 1, 'b'},
        (byte[]) PgText.parse("a\\\\\\001b", PgType.BYTEA));
    for (String bad : new String[] {"1.5", "x", "99999999999", ""}) {
      QuellException e = assertThrows(QuellException.class,
          () -> PgText.parse(bad, PgType.INT4), bad);
      assertEquals("22P02", e.sqlState().code());
    }
    assertThrows(QuellException.class, () -> PgText.parse("1.0d", PgType.FLOAT8));
  }

  @Test void binaryValuesArePostgresqlsBytes() {
    // numeric_send of 12345.678: 3 digits, weight 1, positive, scale 3, 1 2345 6780.
    assertArrayEquals(new byte[] {0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1A, 0x7C},
        binary(new BigDecimal("12345.678"), PgType.NUMERIC));
    // -0.0001: one digit 1 of weight -1, negative, scale 4.
    assertArrayEquals(new byte[] {0, 1, -1, -1, 0x40, 0, 0, 4, 0, 1},
        binary(new BigDecimal("-0.0001"), PgType.NUMERIC));
    // 0 with scale 2: no digits.
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 2},
        binary(new BigDecimal("0.00"), PgType.NUMERIC));
    // 1e8: one digit 1 of weight 2 (trailing zero digits dropped).
    assertArrayEquals(new byte[] {0, 1, 0, 2, 0, 0, 0, 0, 0, 1},
        binary(new BigDecimal("100000000"), PgType.NUMERIC));
    assertArrayEquals(new byte[] {0, 0, 0, 0}, binary(LocalDate.of(2000, 1, 1), PgType.DATE));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0x0F, 0x42, 0x40},
        binary(LocalDateTime.of(2000, 1, 1, 0, 0, 1), PgType.TIMESTAMP));
  }

  @Test void binaryValuesReadBackAsWritten() {
    for (String number : new String[] {"12345.678", "-0.0001", "0.00", "100000000",
        "98765432109876543210.0123456789", "1.5"}) {
      assertEquals(new BigDecimal(number), roundTrip(new BigDecimal(number), PgType.NUMERIC),
          number);
    }
    LocalDateTime moment = LocalDateTime.of(1969, 7, 20, 20, 17, 40, 123_456_000);
    assertEquals(moment, roundTrip(moment, PgType.TIMESTAMP));
    assertEquals(LocalDate.of(1, 1, 1), roundTrip(LocalDate.of(1, 1, 1), PgType.DATE));
    assertEquals(LocalTime.of(23, 59, 59, 999_999_000),
        roundTrip(LocalTime.of(23, 59, 59, 999_999_000), PgType.TIME));
    assertEquals("héllo", roundTrip("héllo", PgType.VARCHAR));
    assertEquals((short) -7, roundTrip((short) -7, PgType.INT2));
    QuellException e = assertThrows(QuellException.class,
        () -> PgBinary.read(Unpooled.wrappedBuffer(new byte[3]), PgType.INT4));
    assertEquals("22P03", e.sqlState().code());
  }

  @Test void parametersConvertToTheTypeTheEngineTakes() {
    assertEquals(42, JdbcValues.convert(42L, PgType.INT8, PgType.INT4));
    assertEquals(3, JdbcValues.convert(new BigDecimal("2.5"), PgType.NUMERIC, PgType.INT4));
    assertEquals("41", JdbcValues.convert(41, PgType.INT4, PgType.TEXT));
    assertEquals(41, JdbcValues.convert("41", PgType.TEXT, PgType.INT4));
    assertEquals(LocalDateTime.of(2024, 1, 2, 0, 0),
        JdbcValues.convert(LocalDate.of(2024, 1, 2), PgType.DATE, PgType.TIMESTAMP));
    QuellException range = assertThrows(QuellException.class,
        () -> JdbcValues.convert(5_000_000_000L, PgType.INT8, PgType.INT4));
    assertEquals("22003", range.sqlState().code());
    QuellException mismatch = assertThrows(QuellException.class,
        () -> JdbcValues.convert(LocalDate.of(2024, 1, 2), PgType.DATE, PgType.INT4));
    assertEquals("42804", mismatch.sqlState().code());
  }
}
