package io.quell.engine.dialect;

import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlNameMatcher;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

/**
 * PostgreSQL's functions that Calcite's PostgreSQL library lacks ({@link PostgresFunctions}),
 * and every built-in function under its {@code pg_catalog.} name too, as psql and pgjdbc
 * call them ({@code pg_catalog.lower(x)}). Functions of the {@code pg_catalog} schema itself
 * (the catalog's) are the schema's: this table has none of them, so it never hides one.
 */
final class PostgresOperatorTable implements SqlOperatorTable {
  private static final String CATALOG = "pg_catalog";

  private final SqlOperatorTable builtins;
  private final SqlOperatorTable own = SqlOperatorTables.of(PostgresFunctions.ALL);

  /** {@code builtins}: the operators of Calcite's libraries, which qualified names reach. */
  PostgresOperatorTable(SqlOperatorTable builtins) {
    this.builtins = builtins;
  }

  @Override public void lookupOperatorOverloads(SqlIdentifier name,
      @Nullable SqlFunctionCategory category, SqlSyntax syntax, List<SqlOperator> operators,
      SqlNameMatcher nameMatcher) {
    if (name.names.size() == 2 && nameMatcher.matches(name.names.get(0), CATALOG)) {
      SqlIdentifier simple = new SqlIdentifier(name.names.get(1), name.getParserPosition());
      builtins.lookupOperatorOverloads(simple, category, syntax, operators, nameMatcher);
      own.lookupOperatorOverloads(simple, category, syntax, operators, nameMatcher);
    } else {
      own.lookupOperatorOverloads(name, category, syntax, operators, nameMatcher);
    }
  }

  @Override public List<SqlOperator> getOperatorList() {
    return own.getOperatorList();
  }
}
