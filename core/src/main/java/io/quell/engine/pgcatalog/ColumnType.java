package io.quell.engine.pgcatalog;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A column's type as PostgreSQL describes it: the {@link PgType} a Calcite type is shown as,
 * with PostgreSQL's type modifier ({@code atttypmod}: the declared length of a character type
 * plus 4, a numeric's precision and scale, -1 for none), and the names {@code format_type} and
 * {@code information_schema} give it.
 */
record ColumnType(PgType type, int typmod) {
  /** What PostgreSQL adds to a declared length or precision in a type modifier. */
  private static final int VARHDRSZ = 4;

  /** How a column of Calcite type {@code type} is shown. */
  static ColumnType of(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    PgType pgType = PgType.ofJdbc(name.getJdbcOrdinal());
    int typmod = switch (pgType) {
      case VARCHAR, BPCHAR -> type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
          ? -1 : type.getPrecision() + VARHDRSZ;
      case NUMERIC -> ((type.getPrecision() << 16) | type.getScale()) + VARHDRSZ;
      default -> -1;
    };
    return new ColumnType(pgType, typmod);
  }

  /**
   * PostgreSQL's {@code format_type}: the SQL name of type {@code type} with modifier
   * {@code typmod}, or without one if null. As PostgreSQL, a blank-padded character type
   * without a length is {@code bpchar}, and {@code character} when no modifier was given.
   */
  static String format(PgType type, Integer typmod) {
    boolean modified = typmod != null && typmod >= 0;
    return switch (type) {
      case VARCHAR -> "character varying" + (modified ? "(" + (typmod - VARHDRSZ) + ")" : "");
      case BPCHAR -> modified ? "character(" + (typmod - VARHDRSZ) + ")"
          : typmod == null ? "character" : "bpchar";
      case NUMERIC -> "numeric" + (modified ? "(" + ((typmod - VARHDRSZ) >> 16) + ","
          + ((typmod - VARHDRSZ) & 0xffff) + ")" : "");
      default -> sqlName(type);
    };
  }

  /** {@code information_schema.columns.data_type}: the SQL name without modifiers. */
  String dataType() {
    return type.category() == 'A' ? "ARRAY" : format(type, null);
  }

  /** The declared length of a character type, or null. */
  Integer characterMaximumLength() {
    return (type == PgType.VARCHAR || type == PgType.BPCHAR) && typmod >= 0
        ? typmod - VARHDRSZ : null;
  }

  /** The precision of a numeric type in bits (integers, floats) or digits (numeric); null. */
  Integer numericPrecision() {
    return switch (type) {
      case INT2 -> 16;
      case INT4 -> 32;
      case INT8 -> 64;
      case FLOAT4 -> 24;
      case FLOAT8 -> 53;
      case NUMERIC -> typmod >= 0 ? (typmod - VARHDRSZ) >> 16 : null;
      default -> null;
    };
  }

  /** 2 for precisions in bits, 10 for digits; null for other types. */
  Integer numericPrecisionRadix() {
    return switch (type) {
      case INT2, INT4, INT8, FLOAT4, FLOAT8 -> 2;
      case NUMERIC -> 10;
      default -> null;
    };
  }

  Integer numericScale() {
    return switch (type) {
      case INT2, INT4, INT8 -> 0;
      case NUMERIC -> typmod >= 0 ? (typmod - VARHDRSZ) & 0xffff : null;
      default -> null;
    };
  }

  /** Fractional digits of seconds of a date or time type, PostgreSQL's default 6; null. */
  Integer datetimePrecision() {
    return switch (type) {
      case DATE -> 0;
      case TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL -> 6;
      default -> null;
    };
  }

  /** The collation of a column of this type. */
  int collation() {
    return collation(type);
  }

  /** The collation of {@code type}: {@code default} for character types, {@code C} for name. */
  static int collation(PgType type) {
    return switch (type) {
      case TEXT, VARCHAR, BPCHAR -> Oids.DEFAULT_COLLATION;
      case NAME -> Oids.C_COLLATION;
      default -> 0;
    };
  }

  /** The SQL name PostgreSQL prints for {@code type} without a modifier. */
  private static String sqlName(PgType type) {
    return switch (type) {
      case BOOL -> "boolean";
      case CHAR -> "\"char\"";
      case INT8 -> "bigint";
      case INT2 -> "smallint";
      case INT4 -> "integer";
      case FLOAT4 -> "real";
      case FLOAT8 -> "double precision";
      case TIME -> "time without time zone";
      case TIMESTAMP -> "timestamp without time zone";
      case TIMESTAMPTZ -> "timestamp with time zone";
      default -> type.category() == 'A'
          ? sqlName(PgType.ofOid(elementOid(type)).orElse(PgType.TEXT)) + "[]"
          : type.typname();
    };
  }

  /** The OID of the elements of array type {@code array}; 0 for a type that is no array. */
  static int elementOid(PgType array) {
    return array.element().map(PgType::oid).orElse(0);
  }
}
