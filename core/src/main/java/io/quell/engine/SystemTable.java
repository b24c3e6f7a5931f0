package io.quell.engine;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;
import java.util.function.Function;

/**
 * A table of {@code quell_internal} computed at scan time from live engine state for the
 * session that scans it. Values follow Calcite's enumerable representation: TIMESTAMP as epoch
 * milliseconds.
 */
final class SystemTable extends AbstractTable implements ScannableTable {
  /** One column: name, type, nullability. */
  record Column(String name, SqlTypeName type, boolean nullable) {
    static Column of(String name, SqlTypeName type) {
      return new Column(name, type, false);
    }

    static Column nullable(String name, SqlTypeName type) {
      return new Column(name, type, true);
    }
  }

  private final QuellEngine engine;
  private final List<Column> columns;
  private final Function<Caller, List<Object[]>> rows;

  SystemTable(QuellEngine engine, List<Column> columns, Function<Caller, List<Object[]>> rows) {
    this.engine = engine;
    this.columns = ImmutableList.copyOf(columns);
    this.rows = rows;
  }

  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (Column c : columns) {
      builder.add(c.name(), c.type()).nullable(c.nullable());
    }
    return builder.build();
  }

  @Override public Enumerable<Object[]> scan(DataContext root) {
    return Linq4j.asEnumerable(rows.apply(Caller.of(engine, root)));
  }

  @Override public Schema.TableType getJdbcTableType() {
    return Schema.TableType.SYSTEM_TABLE;
  }
}
