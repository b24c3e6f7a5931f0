package io.quell.execution;

import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A query planned inside another statement, from its syntax tree: the columns it returns and
 * its rows, which run when enumerated, on the statement's thread under its flag and account.
 * A row is an array, or the value itself when there is one column.
 */
public record PlannedQuery(RelDataType rowType, Enumerable<Object> rows) {
  /** The first column of {@code row}. */
  public static Object firstColumn(Object row) {
    return row instanceof Object[] columns ? columns[0] : row;
  }
}
