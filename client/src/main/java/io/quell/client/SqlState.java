package io.quell.client;

import java.util.Arrays;
import java.util.Optional;

/**
 * The SQLSTATE codes Quell raises and reads, named as PostgreSQL names them: one list for the
 * engine, the server, the console and the drivers, which all depend on this module.
 */
public enum SqlState {
  CARDINALITY_VIOLATION("21000"),
  INVALID_PARAMETER_VALUE("22023"),
  DIVISION_BY_ZERO("22012"),
  NUMERIC_VALUE_OUT_OF_RANGE("22003"),
  INVALID_DATETIME_FORMAT("22007"),
  INVALID_TEXT_REPRESENTATION("22P02"),
  INVALID_GRANT_OPERATION("0LP01"),
  CANT_CHANGE_RUNTIME_PARAM("55P02"),
  INVALID_AUTHORIZATION("28000"),
  INVALID_PASSWORD("28P01"),
  INSUFFICIENT_PRIVILEGE("42501"),
  UNDEFINED_OBJECT("42704"),
  DUPLICATE_OBJECT("42710"),
  UNDEFINED_TABLE("42P01"),
  DUPLICATE_TABLE("42P07"),
  DUPLICATE_COLUMN("42701"),
  WRONG_OBJECT_TYPE("42809"),
  INVALID_SCHEMA_NAME("3F000"),
  INVALID_OBJECT_DEFINITION("42P17"),
  SYNTAX_ERROR("42601"),
  SYNTAX_ERROR_OR_ACCESS_RULE("42000"),
  DATATYPE_MISMATCH("42804"),
  QUERY_CANCELED("57014"),
  ADMIN_SHUTDOWN("57P01"),
  CANNOT_CONNECT_NOW("57P03"),
  INSUFFICIENT_RESOURCES("53000"),
  DISK_FULL("53100"),
  OUT_OF_MEMORY("53200"),
  TOO_MANY_CONNECTIONS("53300"),
  CONNECTION_EXCEPTION("08003"),
  CANNOT_CONNECT("08001"),
  CONNECTION_FAILURE("08006"),
  OBJECT_IN_USE("55006"),
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
  SYSTEM_ERROR("58000"),
  PROTOCOL_VIOLATION("08P01"),
  CONNECTION_REJECTED("08004"),
  UNIQUE_VIOLATION("23505"),
  SERIALIZATION_FAILURE("40001"),
  DEADLOCK_DETECTED("40P01"),
  INVALID_STATEMENT_NAME("26000"),
  INVALID_CURSOR_STATE("24000"),
  FEATURE_NOT_SUPPORTED("0A000"),
  INTERNAL_ERROR("XX000");

  private final String code;

  SqlState(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The state whose code is {@code code}, or empty for a code not in this list. */
  public static Optional<SqlState> ofCode(String code) {
    return Arrays.stream(values()).filter(state -> state.code.equals(code)).findFirst();
  }
}
