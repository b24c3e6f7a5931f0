package io.quell.error;

/** The SQLSTATE codes Quell raises, named as PostgreSQL names them. */
public enum SqlState {
  CARDINALITY_VIOLATION("21000"),
  INVALID_PARAMETER_VALUE("22023"),
  CANT_CHANGE_RUNTIME_PARAM("55P02"),
  INVALID_AUTHORIZATION("28000"),
  INVALID_PASSWORD("28P01"),
  INSUFFICIENT_PRIVILEGE("42501"),
  UNDEFINED_OBJECT("42704"),
  DUPLICATE_OBJECT("42710"),
  SYNTAX_ERROR("42601"),
  SYNTAX_ERROR_OR_ACCESS_RULE("42000"),
  DATATYPE_MISMATCH("42804"),
  QUERY_CANCELED("57014"),
  ADMIN_SHUTDOWN("57P01"),
  DISK_FULL("53100"),
  CONNECTION_EXCEPTION("08003"),
  INVALID_STATEMENT_NAME("26000"),
  INTERNAL_ERROR("XX000");

  private final String code;

  SqlState(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
