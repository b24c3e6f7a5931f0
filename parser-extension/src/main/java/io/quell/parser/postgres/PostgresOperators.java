package io.quell.parser.postgres;

import static io.quell.parser.QuellParserResource.RESOURCE;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's built-ins in {@code pg_catalog}: its binary operators by symbol, for
 * {@code a OPERATOR(pg_catalog.~) b}, the spelling psql sends, each the Calcite operator that
 * the same infix symbol (or, for {@code ~~}, its keyword) parses to; and the check of a
 * built-in's schema.
 */
public final class PostgresOperators {
  /** Where PostgreSQL keeps its built-in operators, the only schema that has any here. */
  public static final String CATALOG_SCHEMA = "pg_catalog";

  private static final Map<String, SqlOperator> BY_SYMBOL = Map.ofEntries(
      Map.entry("~", SqlStdOperatorTable.POSIX_REGEX_CASE_SENSITIVE),
      Map.entry("~*", SqlStdOperatorTable.POSIX_REGEX_CASE_INSENSITIVE),
      Map.entry("!~", SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_SENSITIVE),
      Map.entry("!~*", SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_INSENSITIVE),
      Map.entry("~~", SqlStdOperatorTable.LIKE),
      Map.entry("!~~", SqlStdOperatorTable.NOT_LIKE),
      Map.entry("~~*", SqlLibraryOperators.ILIKE),
      Map.entry("!~~*", SqlLibraryOperators.NOT_ILIKE),
      Map.entry("=", SqlStdOperatorTable.EQUALS),
      Map.entry("<>", SqlStdOperatorTable.NOT_EQUALS),
      Map.entry("!=", SqlStdOperatorTable.NOT_EQUALS),
      Map.entry("<", SqlStdOperatorTable.LESS_THAN),
      Map.entry("<=", SqlStdOperatorTable.LESS_THAN_OR_EQUAL),
      Map.entry(">", SqlStdOperatorTable.GREATER_THAN),
      Map.entry(">=", SqlStdOperatorTable.GREATER_THAN_OR_EQUAL),
      Map.entry("+", SqlStdOperatorTable.PLUS),
      Map.entry("-", SqlStdOperatorTable.MINUS),
      Map.entry("*", SqlStdOperatorTable.MULTIPLY),
      Map.entry("/", SqlStdOperatorTable.DIVIDE),
      Map.entry("%", SqlStdOperatorTable.PERCENT_REMAINDER),
      Map.entry("||", SqlStdOperatorTable.CONCAT));

  private PostgresOperators() {
  }

  /**
   * Fails unless {@code schema}, which qualifies built-in {@code name}, is pg_catalog: no other
   * schema has built-ins.
   */
  public static void checkCatalog(SqlIdentifier schema, String name) {
    if (!schema.getSimple().toLowerCase(Locale.ROOT).equals(CATALOG_SCHEMA)) {
      throw SqlUtil.newContextException(schema.getParserPosition(),
          RESOURCE.unknownFunction(schema.getSimple() + "." + name));
    }
  }

  /**
   * The operator {@code symbol}, of {@code schema} if one is named; fails at {@code pos} for a
   * symbol that is no operator here or a schema other than pg_catalog.
   */
  public static SqlOperator named(@Nullable SqlIdentifier schema, String symbol,
      SqlParserPos pos) {
    SqlOperator operator = BY_SYMBOL.get(symbol);
    boolean inCatalog = schema == null
        || schema.getSimple().toLowerCase(Locale.ROOT).equals(CATALOG_SCHEMA);
    if (operator == null || !inCatalog) {
      throw SqlUtil.newContextException(pos, RESOURCE.unknownOperator(
          schema == null ? symbol : schema.getSimple() + "." + symbol));
    }
    return operator;
  }
}
