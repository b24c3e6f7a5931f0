package io.quell.engine.pgcatalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.stream.LongStream;

/**
 * {@code generate_series(start, stop [, step])}, the set-returning function with which
 * pgjdbc and Grafana walk the search path and the keys of an index: the integers from
 * {@code start} to {@code stop}, one column named {@code generate_series} as in PostgreSQL. A
 * NULL bound gives no rows, as PostgreSQL's strict function does; a step of 0 is refused.
 */
public final class GenerateSeries extends AbstractTable implements ScannableTable {
  private final Integer start;
  private final Integer stop;
  private final Integer step;

  private GenerateSeries(Integer start, Integer stop, Integer step) {
    this.start = start;
    this.stop = stop;
    this.step = step;
  }

  /**
   * The series from {@code start} to {@code stop}; Calcite also calls this to learn the row
   * type, with NULL for arguments that are not literals.
   */
  public static ScannableTable of(Integer start, Integer stop) {
    return new GenerateSeries(start, stop, 1);
  }

  public static ScannableTable withStep(Integer start, Integer stop, Integer step) {
    if (step != null && step == 0) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
          "step size cannot equal zero");
    }
    return new GenerateSeries(start, stop, step);
  }

  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return typeFactory.builder().add("generate_series", SqlTypeName.INTEGER).build();
  }

  @Override public Enumerable<Object[]> scan(DataContext root) {
    if (start == null || stop == null || step == null) {
      return Linq4j.emptyEnumerable();
    }
    // Lazily, one row at a time, so that a long series holds no memory; in longs, so that
    // a bound near the end of the integers does not wrap around.
    long first = start;
    long last = stop;
    long increment = step;
    return Linq4j.asEnumerable(() -> LongStream.iterate(first,
            v -> increment > 0 ? v <= last : v >= last, v -> v + increment)
        .mapToObj(v -> new Object[] {(int) v}).iterator());
  }
}
