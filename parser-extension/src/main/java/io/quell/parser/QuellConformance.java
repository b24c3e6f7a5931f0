package io.quell.parser;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The SQL Quell accepts: Calcite's default, plus what PostgreSQL users write every day and
 * Calcite only allows in other conformances. Each addition makes text that failed parse or
 * validate, and gives it PostgreSQL's meaning; the one exception is {@code GROUP BY 1}, which
 * Calcite's default reads as a constant (one group for all rows, hardly ever meant) and
 * PostgreSQL, and so Quell, as the first column of the select list, as Grafana and Metabase
 * write it. Unquoted names still fold to lower case and everything else is Calcite's default.
 */
public final class QuellConformance extends SqlDelegatingConformance {
  public static final QuellConformance INSTANCE = new QuellConformance();

  private QuellConformance() {
    super(SqlConformanceEnum.DEFAULT);
  }

  /** {@code 7 % 3}. */
  @Override public boolean isPercentRemainderAllowed() {
    return true;
  }

  /** {@code a != b}. */
  @Override public boolean isBangEqualAllowed() {
    return true;
  }

  /** {@code OFFSET 2 LIMIT 2} as well as {@code LIMIT 2 OFFSET 2}. */
  @Override public boolean isOffsetLimitAllowed() {
    return true;
  }

  /**
   * {@code now()}, {@code current_schema()}, and zero-argument functions of a schema called
   * with parentheses, which is how PostgreSQL calls them.
   */
  @Override public boolean allowNiladicParentheses() {
    return true;
  }

  /**
   * PostgreSQL's array literals in comparisons ({@code polroles = '{0}'}, as psql's
   * {@code \d} sends it) and {@code CAST(true AS INTEGER)}.
   */
  @Override public boolean allowLenientCoercion() {
    return true;
  }

  /** {@code GROUP BY 1}: the first column of the select list. */
  @Override public boolean isGroupByOrdinal() {
    return true;
  }

  /**
   * {@code GROUP BY alias} of a select-list column; a column of the FROM clause of that name
   * still wins, as in PostgreSQL.
   */
  @Override public boolean isGroupByAlias() {
    return true;
  }
}
