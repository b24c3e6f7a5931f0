package io.quell.engine.pgcatalog;

import java.sql.Types;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The PostgreSQL types Quell's values are shown as, with PostgreSQL's own OIDs and names: the
 * one list that the wire protocol's RowDescription and ParameterDescription, and the catalog's
 * {@code pg_type} and {@code pg_attribute.atttypid}, all read, so that a client sees the same
 * type wherever it looks. Clients hard-code these OIDs (pgjdbc's {@code Oid}, libpq's
 * {@code pg_type_d.h}), so they are fixed, not chosen.
 */
public enum PgType {
  BOOL(16, "bool", 1, 'B', 1000),
  BYTEA(17, "bytea", -1, 'U', 1001),
  CHAR(18, "char", 1, 'Z', 1002),
  NAME(19, "name", 64, 'S', 1003),
  INT8(20, "int8", 8, 'N', 1016),
  INT2(21, "int2", 2, 'N', 1005),
  INT4(23, "int4", 4, 'N', 1007),
  REGPROC(24, "regproc", 4, 'N', 1008),
  TEXT(25, "text", -1, 'S', 1009),
  OID(26, "oid", 4, 'N', 1028),
  FLOAT4(700, "float4", 4, 'N', 1021),
  FLOAT8(701, "float8", 8, 'N', 1022),
  UNKNOWN(705, "unknown", -2, 'X', 0),
  BPCHAR(1042, "bpchar", -1, 'S', 1014),
  VARCHAR(1043, "varchar", -1, 'S', 1015),
  DATE(1082, "date", 4, 'D', 1182),
  TIME(1083, "time", 8, 'D', 1183),
  TIMESTAMP(1114, "timestamp", 8, 'D', 1115),
  TIMESTAMPTZ(1184, "timestamptz", 8, 'D', 1185),
  INTERVAL(1186, "interval", 16, 'T', 1187),
  NUMERIC(1700, "numeric", -1, 'N', 1231),
  REGCLASS(2205, "regclass", 4, 'N', 2210),
  REGTYPE(2206, "regtype", 4, 'N', 2211),
  TEXT_ARRAY(1009, "_text", -1, 'A', 0),
  INT4_ARRAY(1007, "_int4", -1, 'A', 0),
  INT2_ARRAY(1005, "_int2", -1, 'A', 0),
  OID_ARRAY(1028, "_oid", -1, 'A', 0),
  CHAR_ARRAY(1002, "_char", -1, 'A', 0),
  NAME_ARRAY(1003, "_name", -1, 'A', 0),
  BOOL_ARRAY(1000, "_bool", -1, 'A', 0),
  BYTEA_ARRAY(1001, "_bytea", -1, 'A', 0),
  INT8_ARRAY(1016, "_int8", -1, 'A', 0),
  FLOAT4_ARRAY(1021, "_float4", -1, 'A', 0),
  FLOAT8_ARRAY(1022, "_float8", -1, 'A', 0),
  BPCHAR_ARRAY(1014, "_bpchar", -1, 'A', 0),
  VARCHAR_ARRAY(1015, "_varchar", -1, 'A', 0),
  DATE_ARRAY(1182, "_date", -1, 'A', 0),
  TIME_ARRAY(1183, "_time", -1, 'A', 0),
  TIMESTAMP_ARRAY(1115, "_timestamp", -1, 'A', 0),
  NUMERIC_ARRAY(1231, "_numeric", -1, 'A', 0);

  private static final Map<Integer, PgType> BY_OID = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(PgType::oid, Function.identity()));
  /** Each array type's element type, read once: the wire reads it for every array value. */
  private static final Map<PgType, PgType> ELEMENTS = Arrays.stream(values())
      .filter(t -> t.category != 'A' && BY_OID.containsKey(t.arrayOid))
      .collect(Collectors.toUnmodifiableMap(t -> BY_OID.get(t.arrayOid), Function.identity()));

  private final int oid;
  private final String typname;
  private final int typlen;
  private final char category;
  private final int arrayOid;

  PgType(int oid, String typname, int typlen, char category, int arrayOid) {
    this.oid = oid;
    this.typname = typname;
    this.typlen = typlen;
    this.category = category;
    this.arrayOid = arrayOid;
  }

  public int oid() {
    return oid;
  }

  /** The name in {@code pg_type.typname}, e.g. {@code int4}. */
  public String typname() {
    return typname;
  }

  /** {@code pg_type.typlen}: bytes of a fixed-size value, -1 variable, -2 C string. */
  public int typlen() {
    return typlen;
  }

  /** {@code pg_type.typcategory}. */
  public char category() {
    return category;
  }

  /** The OID of the array of this type, 0 if none. */
  public int arrayOid() {
    return arrayOid;
  }

  /** The type of this array's elements; empty for a type that is no array. */
  public Optional<PgType> element() {
    return Optional.ofNullable(ELEMENTS.get(this));
  }

  public static Optional<PgType> ofOid(int oid) {
    return Optional.ofNullable(BY_OID.get(oid));
  }

  /**
   * The type a JDBC column or parameter of {@code sqlType} ({@link Types}) is shown as: the
   * nearest PostgreSQL type, and text for what has none (Calcite's ROW, MAP, ANY...), whose
   * values then travel in their text form.
   */
  public static PgType ofJdbc(int sqlType) {
    return switch (sqlType) {
      case Types.BOOLEAN, Types.BIT -> BOOL;
      case Types.TINYINT, Types.SMALLINT -> INT2;
      case Types.INTEGER -> INT4;
      case Types.BIGINT -> INT8;
      case Types.REAL -> FLOAT4;
      case Types.FLOAT, Types.DOUBLE -> FLOAT8;
      case Types.DECIMAL, Types.NUMERIC -> NUMERIC;
      case Types.CHAR -> BPCHAR;
      case Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR -> VARCHAR;
      case Types.DATE -> DATE;
      case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
      case Types.TIMESTAMP -> TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BYTEA;
      default -> TEXT;
    };
  }

  /**
   * The type a JDBC array column is shown as, by its type name ({@code INTEGER ARRAY},
   * {@code DECIMAL(12, 2) ARRAY}): the array of the element's type; text for an array of
   * arrays or of a type without an array here, whose values then travel in their text form.
   */
  public static PgType ofJdbcArray(String typeName) {
    String element = typeName.endsWith(" ARRAY")
        ? typeName.substring(0, typeName.length() - " ARRAY".length()) : "";
    int parenthesis = element.indexOf('(');
    String base = (parenthesis < 0 ? element : element.substring(0, parenthesis)).strip();
    PgType type = switch (base) {
      case "BOOLEAN" -> BOOL;
      case "TINYINT", "SMALLINT" -> INT2;
      case "INTEGER" -> INT4;
      case "BIGINT" -> INT8;
      case "REAL" -> FLOAT4;
      case "FLOAT", "DOUBLE" -> FLOAT8;
      case "DECIMAL" -> NUMERIC;
      case "CHAR" -> BPCHAR;
      case "VARCHAR" -> VARCHAR;
      case "DATE" -> DATE;
      case "TIME" -> TIME;
      case "TIMESTAMP" -> TIMESTAMP;
      case "BINARY", "VARBINARY" -> BYTEA;
      default -> null;
    };
    return type == null ? TEXT : ofOid(type.arrayOid()).orElse(TEXT);
  }
}
