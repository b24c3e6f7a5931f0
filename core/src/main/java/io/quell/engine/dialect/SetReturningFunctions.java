package io.quell.engine.dialect;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.PgFunctions;
import io.quell.error.QuellException;

import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlRowTypeNameSpec;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlTableFunction;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.util.Litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's functions where Calcite has only tables, or only values, as lateral tables:
 * <ul>
 *   <li>In a select list, a call of a set-returning function ({@code generate_series},
 *   {@code information_schema._pg_expandarray}, which pgjdbc's getPrimaryKeys and
 *   getIndexInfo call) becomes the column of a lateral table joined to the FROM clause:
 *   each row yields one row per value, none for none, as PostgreSQL 10 and later run them.
 *   <li>In FROM, such a function's one column takes the table's alias as its name
 *   ({@code generate_series(1, 3) AS i}, then {@code i}), and any other function is a one-row
 *   table of its value ({@code string_to_array(current_setting('search_path'), ',') s}), as
 *   Grafana writes.
 * </ul>
 * One select list runs one set-returning call (repeated as often as it likes): PostgreSQL
 * runs several in step, which a join does not, so a second is 0A000 rather than other rows.
 * {@code unnest} stays a table only: Calcite's grammar reserves the word, and its parser suite
 * requires {@code SELECT unnest(x)} to fail.
 */
final class SetReturningFunctions {
  /** The lateral table's alias, a name no catalog table has and queries hardly write. */
  private static final String ALIAS = "srf$";
  private static final Set<String> SCHEMAS = Set.of("pg_catalog", "information_schema");

  /** The set-returning functions, and the table each is in Calcite's terms. */
  private enum Function {
    GENERATE_SERIES("generate_series", List.of("generate_series")) {
      /** The call as a table function's, which a select list's call is not. */
      @Override SqlNode table(SqlCall call) {
        SqlParserPos pos = call.getParserPosition();
        return SqlStdOperatorTable.LATERAL.createCall(pos,
            SqlStdOperatorTable.COLLECTION_TABLE.createCall(pos,
                as(call, SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION)));
      }
    },
    /** Each element {@code x} with its place {@code n}, counted from 1. */
    EXPAND_ARRAY("_pg_expandarray", List.of("x", "n")) {
      @Override SqlNode table(SqlCall call) {
        return SqlStdOperatorTable.UNNEST_WITH_ORDINALITY.createCall(call.getParserPosition(),
            call.getOperandList());
      }

      /**
       * The record {@code (x, n)}, whose fields a query reads by name ({@code (keys).x});
       * its elements as integers, as pgjdbc reads the {@code int2vector} columns it expands.
       */
      @Override SqlNode value(SqlParserPos pos) {
        List<SqlNode> fields = new ArrayList<>();
        List<SqlIdentifier> names = new ArrayList<>();
        List<SqlDataTypeSpec> types = new ArrayList<>();
        for (String column : columns()) {
          fields.add(column(column, pos));
          names.add(new SqlIdentifier(column, pos));
          types.add(new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, pos), pos));
        }
        return SqlStdOperatorTable.CAST.createCall(pos,
            SqlStdOperatorTable.ROW.createCall(pos, fields),
            new SqlDataTypeSpec(new SqlRowTypeNameSpec(pos, names, types), pos));
      }
    };

    private final String sqlName;
    private final List<String> columns;

    Function(String sqlName, List<String> columns) {
      this.sqlName = sqlName;
      this.columns = columns;
    }

    /** The table of the call's rows. */
    abstract SqlNode table(SqlCall call);

    List<String> columns() {
      return columns;
    }

    /** What the call is worth in a select list, read from the lateral table. */
    SqlNode value(SqlParserPos pos) {
      return column(columns.get(0), pos);
    }

    private static SqlIdentifier column(String name, SqlParserPos pos) {
      return new SqlIdentifier(List.of(ALIAS, name), pos);
    }
  }

  private SetReturningFunctions() {
  }

  /** The set-returning function {@code node} calls, if it calls one. */
  private static Optional<Function> of(SqlNode node) {
    if (!(node instanceof SqlCall call)
        || !(call.getOperator() instanceof SqlUnresolvedFunction function)) {
      return Optional.empty();
    }
    SqlIdentifier name = ((SqlFunction) function).getSqlIdentifier();
    if (name == null || name.names.size() > 2 || name.names.size() == 2
        && !SCHEMAS.contains(name.names.get(0).toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    String simple = name.names.get(name.names.size() - 1).toLowerCase(Locale.ROOT);
    for (Function f : Function.values()) {
      if (f.sqlName.equals(simple)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** {@code select} with its functions in FROM and its select list's as tables. */
  static SqlSelect rewrite(SqlSelect select) {
    if (select.getFrom() != null) {
      select.setFrom(inFrom(select.getFrom()));
    }
    return inSelectList(select);
  }

  /**
   * The FROM clause {@code from} with each function call among its tables as the table it
   * stands for.
   */
  private static SqlNode inFrom(SqlNode from) {
    if (from instanceof SqlJoin join) {
      join.setLeft(inFrom(join.getLeft()));
      join.setRight(inFrom(join.getRight()));
      return join;
    }
    if (from.getKind() == SqlKind.AS) {
      List<SqlNode> operands = ((SqlCall) from).getOperandList();
      SqlCall function = functionTable(operands.get(0));
      return function == null ? from : inFrom(function, (SqlIdentifier) operands.get(1),
          operands.subList(2, operands.size()));
    }
    SqlCall function = functionTable(from);
    return function == null ? from : inFrom(function, null, List.of());
  }

  /**
   * The {@code TABLE(f(...))} that {@code table} is, perhaps LATERAL, if it is to be rewritten:
   * null if none, or if {@code f} is another table function, which stays as it is.
   */
  private static SqlCall functionTable(SqlNode table) {
    SqlNode unwrapped = table.getKind() == SqlKind.LATERAL ? ((SqlCall) table).operand(0) : table;
    if (unwrapped.getKind() != SqlKind.COLLECTION_TABLE) {
      return null;
    }
    SqlNode call = ((SqlCall) unwrapped).operand(0);
    return of(call).isPresent() || !isTableFunction(call) ? (SqlCall) unwrapped : null;
  }

  /**
   * {@code select} with the set-returning call of its select list read from a lateral table
   * joined to its FROM clause; the same select if it calls none.
   */
  private static SqlSelect inSelectList(SqlSelect select) {
    List<SqlCall> calls = new ArrayList<>();
    SqlShuttle finder = new SqlShuttle() {
      @Override public SqlNode visit(SqlCall call) {
        if (call.getKind().belongsTo(SqlKind.QUERY)) {
          return call;
        }
        if (of(call).isPresent()) {
          if (calls.stream().noneMatch(c -> c.equalsDeep(call, Litmus.IGNORE))) {
            calls.add(call);
          }
          return call;
        }
        return super.visit(call);
      }
    };
    select.getSelectList().accept(finder);
    if (calls.isEmpty()) {
      return select;
    }
    if (calls.size() > 1) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
          "a select list may call one set-returning function, here are " + calls.size());
    }
    if (select.getGroup() != null || select.getHaving() != null) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
          "set-returning functions are not supported in a grouped select list");
    }
    SqlCall call = calls.get(0);
    Function function = of(call).orElseThrow();
    SqlParserPos pos = call.getParserPosition();
    SqlShuttle replace = new SqlShuttle() {
      @Override public SqlNode visit(SqlCall c) {
        if (c.getKind().belongsTo(SqlKind.QUERY)) {
          return c;
        }
        if (c.equalsDeep(call, Litmus.IGNORE)) {
          return function.value(c.getParserPosition());
        }
        if (c.getKind() == SqlKind.DOT && c.operand(0).equalsDeep(call, Litmus.IGNORE)
            && c.operand(1) instanceof SqlIdentifier field) {
          return Function.column(field.getSimple(), c.getParserPosition());
        }
        return super.visit(c);
      }
    };
    SqlNodeList items = new SqlNodeList(pos);
    for (SqlNode item : select.getSelectList()) {
      SqlNode replaced = item.accept(replace);
      // An unnamed call keeps the function's name as its column's, as PostgreSQL names it.
      items.add(item.equalsDeep(call, Litmus.IGNORE)
          ? as(replaced, function.sqlName, pos) : replaced);
    }
    select.setSelectList(items);
    if (select.getOrderList() != null) {
      select.setOrderBy((SqlNodeList) select.getOrderList().accept(replace));
    }
    List<SqlNode> aliased = new ArrayList<>();
    aliased.add(function.table(call));
    aliased.add(new SqlIdentifier(ALIAS, pos));
    function.columns().forEach(c -> aliased.add(new SqlIdentifier(c, pos)));
    SqlNode table = SqlStdOperatorTable.AS.createCall(pos, aliased);
    SqlNode from = select.getFrom();
    select.setFrom(from == null ? table
        : new SqlJoin(pos, from, SqlLiteral.createBoolean(false, pos),
            JoinType.CROSS.symbol(pos), table, JoinConditionType.NONE.symbol(pos), null));
    return select;
  }

  /**
   * The table that {@code TABLE(f(...))} in FROM stands for, named {@code alias} (null if it
   * has none) with the given column names (none if it has none).
   */
  private static SqlNode inFrom(SqlCall table, SqlIdentifier alias, List<SqlNode> columns) {
    SqlCall call = table.operand(0);
    SqlParserPos pos = table.getParserPosition();
    Optional<Function> function = of(call);
    String name = alias != null ? alias.getSimple()
        : ((SqlFunction) call.getOperator()).getName().toLowerCase(Locale.ROOT);
    if (function.isEmpty()) {
      // A value: one row whose column has the alias's name, or the function's.
      String column = columns.isEmpty() ? name : ((SqlIdentifier) columns.get(0)).getSimple();
      SqlNode scalar = as(call, SqlFunctionCategory.USER_DEFINED_FUNCTION);
      SqlSelect value = new SqlSelect(pos, null, SqlNodeList.of(as(scalar, column, pos)), null,
          null, null, null, null, null, null, null, null, null);
      return as(SqlStdOperatorTable.LATERAL.createCall(pos, value), name, pos);
    }
    List<SqlNode> aliased = new ArrayList<>();
    aliased.add(function.get().table(call));
    aliased.add(new SqlIdentifier(name, pos));
    if (!columns.isEmpty()) {
      aliased.addAll(columns);
    } else if (function.get().columns().size() == 1 && alias != null) {
      // One column takes the alias's name, as PostgreSQL names a scalar function's.
      aliased.add(alias);
    } else {
      function.get().columns().forEach(c -> aliased.add(new SqlIdentifier(c, pos)));
    }
    return SqlStdOperatorTable.AS.createCall(pos, aliased);
  }

  /**
   * Whether {@code node} calls a table function: one of SQL's own (TUMBLE, HOP, SESSION) or of
   * the catalog's ({@code pg_get_keywords}).
   */
  private static boolean isTableFunction(SqlNode node) {
    if (!(node instanceof SqlCall call)
        || !(call.getOperator() instanceof SqlFunction function)) {
      return true;
    }
    SqlIdentifier name = function.getSqlIdentifier();
    if (name != null
        && PgFunctions.isTableFunction(name.names.get(name.names.size() - 1))) {
      return true;
    }
    List<SqlOperator> operators = new ArrayList<>();
    SqlStdOperatorTable.instance().lookupOperatorOverloads(name,
        SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION, SqlSyntax.FUNCTION, operators,
        SqlNameMatchers.withCaseSensitive(false));
    return operators.stream().anyMatch(SqlTableFunction.class::isInstance);
  }

  /**
   * {@code call} looked up as a function of {@code category}: the parser makes a call in FROM a
   * table function's, and one in a select list a scalar function's.
   */
  private static SqlCall as(SqlCall call, SqlFunctionCategory category) {
    SqlIdentifier name = ((SqlFunction) call.getOperator()).getSqlIdentifier();
    return new SqlUnresolvedFunction(name, null, null, null, null, category)
        .createCall(call.getFunctionQuantifier(), call.getParserPosition(),
            call.getOperandList());
  }

  private static SqlNode as(SqlNode value, String name, SqlParserPos pos) {
    return SqlStdOperatorTable.AS.createCall(pos, value, new SqlIdentifier(name, pos));
  }
}
