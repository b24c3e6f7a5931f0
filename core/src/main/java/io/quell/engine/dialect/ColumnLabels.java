package io.quell.engine.dialect;

import io.quell.engine.pgcatalog.PgType;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Util;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's names for the unnamed columns of a statement's result, which clients show and
 * key rows by ({@code cursor.description}, psql's header): a function's name
 * ({@code count}, {@code now}, {@code coalesce}), {@code case}, a cast constant's type
 * ({@code int4}), a cast column's name, and {@code ?column?} for anything else, where
 * Calcite says {@code EXPR$0}, unless
 * another column has the name already. Only the statement's own result is
 * named so, the first query of a set operation naming it as in PostgreSQL; sub-queries and
 * views keep Calcite's names, which SQL may refer to.
 */
final class ColumnLabels {
  private static final String UNNAMED = "?column?";

  private ColumnLabels() {
  }

  /** {@code statement}, its result's unnamed columns named. */
  static SqlNode name(SqlNode statement) {
    SqlSelect select = resultSelect(statement);
    if (select != null) {
      // A label another column already has would make a reference to that name, or to the
      // column's position (which Calcite reads as its name), ambiguous where it was not: such
      // a column keeps Calcite's name, and so does a second one of the same label.
      Set<String> taken = new HashSet<>();
      for (SqlNode item : select.getSelectList()) {
        String name = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(1).toString()
            : item instanceof SqlIdentifier id && !id.isStar() ? Util.last(id.names) : null;
        if (name != null) {
          taken.add(name.toLowerCase(Locale.ROOT));
        }
      }
      SqlNodeList items = new SqlNodeList(select.getSelectList().getParserPosition());
      for (SqlNode item : select.getSelectList()) {
        String label = label(item);
        items.add(label == null || !taken.add(label.toLowerCase(Locale.ROOT)) ? item
            : SqlStdOperatorTable.AS.createCall(item.getParserPosition(), item,
                new SqlIdentifier(label, SqlParserPos.ZERO)));
      }
      select.setSelectList(items);
    }
    return statement;
  }

  /** The SELECT whose select list names the result of {@code query}; null if none. */
  private static SqlSelect resultSelect(SqlNode query) {
    if (query instanceof SqlSelect select) {
      return select;
    }
    if (query instanceof SqlOrderBy orderBy) {
      return resultSelect(orderBy.query);
    }
    if (query instanceof SqlWith with) {
      return resultSelect(with.body);
    }
    if (query.getKind() == SqlKind.UNION || query.getKind() == SqlKind.INTERSECT
        || query.getKind() == SqlKind.EXCEPT) {
      return resultSelect(((SqlCall) query).operand(0));
    }
    return null;
  }

  /** PostgreSQL's name of the unnamed item {@code item}; null to keep Calcite's. */
  private static String label(SqlNode item) {
    if (item.getKind() == SqlKind.LITERAL || item.getKind() == SqlKind.DYNAMIC_PARAM) {
      return UNNAMED;
    }
    if (!(item instanceof SqlCall call) || item.getKind().belongsTo(SqlKind.QUERY)
        || item.getKind() == SqlKind.AS || item.getKind() == SqlKind.DOT
        || item.getKind() == SqlKind.SCALAR_QUERY) {
      return null;
    }
    if (item.getKind() == SqlKind.CASE) {
      return "case";
    }
    if (PostgresRewriter.isCast(call)) {
      return castLabel(call);
    }
    if (call.getOperator() instanceof SqlFunction function) {
      SqlIdentifier name = function.getSqlIdentifier();
      String simple = name != null ? Util.last(name.names) : function.getName();
      return simple.toLowerCase(Locale.ROOT);
    }
    return UNNAMED;
  }

  /**
   * A cast of a column keeps the column's name; of a parameter (which a literal the plan cache
   * lifted is), {@code ?column?}; of anything else, the type's.
   */
  private static String castLabel(SqlCall cast) {
    if (cast.operand(0) instanceof SqlIdentifier column) {
      return column.isStar() ? null : Util.last(column.names);
    }
    if (cast.operand(0).getKind() == SqlKind.DYNAMIC_PARAM) {
      return UNNAMED;
    }
    if (cast.operand(1) instanceof SqlDataTypeSpec type
        && type.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic
        && basic.getTypeName() != null) {
      SqlTypeName sqlType = SqlTypeName.get(basic.getTypeName().getSimple());
      if (sqlType != null) {
        PgType pg = PgType.ofJdbc(sqlType.getJdbcOrdinal());
        // Quell's text is VARCHAR, and PostgreSQL's users cast to text.
        return pg == PgType.VARCHAR ? "text" : pg.typname();
      }
    }
    return UNNAMED;
  }
}
