package io.quell.engine.dialect;

import static org.apache.calcite.sql.type.SqlTypeName.BOOLEAN;
import static org.apache.calcite.sql.type.SqlTypeName.VARCHAR;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.ServerVersion;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The functions PostgreSQL's clients call that neither Calcite's standard operators nor its
 * PostgreSQL library have, nor the catalog (pg_catalog's functions are its schema's). Most
 * are other SQL ({@link ExpandedFunction}); those of the session's variables run Java
 * ({@link SessionFunction}).
 */
final class PostgresFunctions {
  /** What {@code current_database()} returns, whatever database a client asked for. */
  static final String DATABASE = "quell";

  /**
   * {@code date_trunc(unit, timestamp)}, PostgreSQL's order of arguments: the timestamp (or
   * date, or text) as a timestamp, floored to the unit, which must be a literal.
   */
  static final ExpandedFunction DATE_TRUNC =
      new ExpandedFunction("date_trunc", 2, (validator, call) -> {
        SqlParserPos pos = call.getParserPosition();
        return SqlStdOperatorTable.FLOOR.createCall(pos,
            cast(call.<SqlNode>operand(1), new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 3, pos)),
            truncationUnit(call.<SqlNode>operand(0)));
      });

  /** The units of date_trunc, as Calcite's FLOOR takes them; a plural ending in s also goes. */
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("microsecond", "MICROSECOND"), Map.entry("millisecond", "MILLISECOND"),
      Map.entry("second", "SECOND"), Map.entry("minute", "MINUTE"), Map.entry("hour", "HOUR"),
      Map.entry("day", "DAY"), Map.entry("week", "ISOWEEK"), Map.entry("month", "MONTH"),
      Map.entry("quarter", "QUARTER"), Map.entry("year", "YEAR"),
      Map.entry("decade", "DECADE"), Map.entry("century", "CENTURY"),
      Map.entry("centuries", "CENTURY"), Map.entry("millennium", "MILLENNIUM"),
      Map.entry("millennia", "MILLENNIUM"));

  /**
   * {@code pg_typeof(value)}: the name of the PostgreSQL type of its argument, which the
   * statement's conversion knows ({@link PostgresConvertlets}); the value is not computed.
   */
  static final SqlFunction PG_TYPEOF = new SqlFunction("pg_typeof", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(VARCHAR), null, OperandTypes.ANY, SqlFunctionCategory.SYSTEM);

  static final List<SqlOperator> ALL = List.of(
      PG_TYPEOF,
      now("now"),
      now("transaction_timestamp"),
      now("statement_timestamp"),
      now("clock_timestamp"),
      new ExpandedFunction("version", 0,
          (validator, call) -> text(ServerVersion.description(), call.getParserPosition())),
      new ExpandedFunction("current_database", 0,
          (validator, call) -> text(DATABASE, call.getParserPosition())),
      new ExpandedFunction("current_schema", 0, (validator, call) ->
          SqlStdOperatorTable.CURRENT_SCHEMA.createCall(call.getParserPosition())),
      new ExpandedFunction("array_length", 2, (validator, call) ->
          firstDimension(call, SqlStdOperatorTable.CARDINALITY.createCall(
              call.getParserPosition(), call.<SqlNode>operand(0)))),
      DATE_TRUNC,
      SessionFunction.of("current_setting", SettingFunctions.class, "currentSetting",
          VARCHAR),
      SessionFunction.of("current_setting", SettingFunctions.class, "currentSetting",
          VARCHAR, BOOLEAN),
      SessionFunction.of("set_config", SettingFunctions.class, "setConfig",
          VARCHAR, VARCHAR, BOOLEAN));

  private PostgresFunctions() {
  }

  /**
   * {@code name()}, one of PostgreSQL's clocks, as the statement's CURRENT_TIMESTAMP: Quell
   * reads the clock once a statement, so all agree, where PostgreSQL's clock_timestamp()
   * moves on within a statement and now() stays at its transaction's start.
   */
  private static ExpandedFunction now(String name) {
    return new ExpandedFunction(name, 0, (validator, call) ->
        SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(call.getParserPosition()));
  }

  /** {@code value} as text, as PostgreSQL's functions return it, not as a CHAR literal. */
  private static SqlNode text(String value, SqlParserPos pos) {
    return cast(SqlLiteral.createCharString(value, pos),
        new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, pos));
  }

  private static SqlNode cast(SqlNode value, SqlBasicTypeNameSpec type) {
    return SqlStdOperatorTable.CAST.createCall(value.getParserPosition(), value,
        new SqlDataTypeSpec(type, value.getParserPosition()));
  }

  /**
   * {@code value} for dimension 1 of a non-empty array, else NULL: Calcite's arrays have one
   * dimension, and PostgreSQL has no bounds for an empty one.
   */
  private static SqlNode firstDimension(SqlCall call, SqlNode value) {
    SqlParserPos pos = call.getParserPosition();
    SqlNode condition = SqlStdOperatorTable.AND.createCall(pos,
        SqlStdOperatorTable.EQUALS.createCall(pos, call.<SqlNode>operand(1),
            SqlLiteral.createExactNumeric("1", pos)),
        SqlStdOperatorTable.GREATER_THAN.createCall(pos,
            SqlStdOperatorTable.CARDINALITY.createCall(pos, call.<SqlNode>operand(0)),
            SqlLiteral.createExactNumeric("0", pos)));
    return SqlCase.createSwitched(pos, null, SqlNodeList.of(condition), SqlNodeList.of(value),
        SqlLiteral.createNull(pos));
  }

  /** The FLOOR unit of date_trunc's {@code unit}; 22023 if it is none, or not a literal. */
  private static SqlIntervalQualifier truncationUnit(SqlNode unit) {
    if (!(unit instanceof SqlCharStringLiteral literal)) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
          "date_trunc takes its unit as a literal, such as 'month'");
    }
    String text = literal.getValueAs(String.class).trim().toLowerCase(Locale.ROOT);
    String name = UNITS.get(text);
    if (name == null && text.endsWith("s")) {
      name = UNITS.get(text.substring(0, text.length() - 1));
    }
    if (name == null) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
          "unit \"" + text + "\" not recognized for date_trunc");
    }
    SqlParserPos pos = unit.getParserPosition();
    return name.equals("ISOWEEK") ? new SqlIntervalQualifier(name, pos)
        : new SqlIntervalQualifier(TimeUnit.valueOf(name), null, pos);
  }
}
