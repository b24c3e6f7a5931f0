package io.quell.engine.dialect;

import io.quell.parser.QuellConformance;

import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformance;

import java.util.Properties;

/**
 * The configuration every statement of the engine is parsed, validated and planned with:
 * Calcite's, from the engine's connection properties, but with Quell's conformance and with
 * PostgreSQL's functions ({@link PostgresOperatorTable}) beside the operators of Calcite's
 * libraries, which connection properties can only choose among Calcite's own.
 */
public final class DialectConfig extends CalciteConnectionConfigImpl {
  private final SqlOperatorTable operators;

  public DialectConfig(Properties properties) {
    super(properties);
    SqlOperatorTable calcite = super.fun(SqlOperatorTable.class, SqlStdOperatorTable.instance());
    this.operators = SqlOperatorTables.chain(calcite, new PostgresOperatorTable(calcite));
  }

  @Override public SqlConformance conformance() {
    return QuellConformance.INSTANCE;
  }

  @Override public <T> T fun(Class<T> operatorTableClass, T defaultOperatorTable) {
    return operatorTableClass.cast(operators);
  }
}
