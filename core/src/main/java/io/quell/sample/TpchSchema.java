package io.quell.sample;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;
import java.util.Map;

/**
 * The sample data: the eight TPC-H tables generated on the fly by the TPC-H reference generator
 * (io.trino.tpch) at a chosen scale factor. Nothing is stored; each scan generates its rows,
 * so BI-style queries over scale 1 (six million line items) run for seconds.
 */
public final class TpchSchema extends AbstractSchema {
  private final double scaleFactor;
  private final Map<String, Table> tables;

  public TpchSchema(double scaleFactor) {
    this.scaleFactor = scaleFactor;
    warmUpInBackground();
    ImmutableMap.Builder<String, Table> builder = ImmutableMap.builder();
    for (TpchTable<?> table : TpchTable.getTables()) {
      builder.put(table.getTableName(), new GeneratedTable<>(table, scaleFactor));
    }
    this.tables = builder.build();
  }

  /**
   * The generator library builds a shared text pool (about 3 s) the first time a table with
   * comments is generated, inside code no cancel check reaches. Building it at start keeps
   * that pause away from the first user query.
   */
  private static void warmUpInBackground() {
    Thread warmUp = new Thread(() -> TpchTable.NATION.createGenerator(1, 1, 1).iterator().next(),
        "quell-tpch-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  public double scaleFactor() {
    return scaleFactor;
  }

  @Override protected Map<String, Table> getTableMap() {
    return tables;
  }

  /** Adds the sample functions ({@code pg_sleep}) to a connection's root schema. */
  public static void addFunctions(SchemaPlus root) {
    root.add("pg_sleep", ScalarFunctionImpl.create(Sleep.class, "pgSleep"));
  }

  /** Rows a table has at scale 1; nation and region do not scale. */
  private static double rowsAtScaleOne(String table) {
    return switch (table) {
      case "lineitem" -> 6_001_215;
      case "orders" -> 1_500_000;
      case "partsupp" -> 800_000;
      case "part" -> 200_000;
      case "customer" -> 150_000;
      case "supplier" -> 10_000;
      default -> -1;
    };
  }

  /**
   * One TPC-H table. It is a plain {@link ScannableTable} on purpose: Calcite runs projectable
   * or filterable tables through its interpreter, which drains the whole scan into a buffer
   * before the next operator sees a row; a plain scan is pulled row by row by the generated
   * code, so memory stays flat and the cancel check in every row pull stays frequent.
   */
  private static final class GeneratedTable<E extends TpchEntity> extends AbstractTable
      implements ScannableTable {
    private final TpchTable<E> table;
    private final double scaleFactor;
    private final List<TpchColumn<E>> columns;

    GeneratedTable(TpchTable<E> table, double scaleFactor) {
      this.table = table;
      this.scaleFactor = scaleFactor;
      this.columns = ImmutableList.copyOf(table.getColumns());
    }

    @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder builder = typeFactory.builder();
      for (TpchColumn<E> column : columns) {
        builder.add(column.getColumnName(), switch (column.getType().getBase()) {
          case IDENTIFIER -> SqlTypeName.BIGINT;
          case INTEGER -> SqlTypeName.INTEGER;
          case DATE -> SqlTypeName.DATE;
          case DOUBLE -> SqlTypeName.DOUBLE;
          case VARCHAR -> SqlTypeName.VARCHAR;
        });
      }
      return builder.build();
    }

    @Override public Statistic getStatistic() {
      double atOne = rowsAtScaleOne(table.getTableName());
      double rows = atOne < 0 ? (table.getTableName().equals("nation") ? 25 : 5)
          : atOne * scaleFactor;
      return Statistics.of(rows, ImmutableList.of());
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      int fields = columns.size();
      return new AbstractEnumerable<Object[]>() {
        @Override public Enumerator<Object[]> enumerator() {
          Enumerator<E> rows =
              Linq4j.iterableEnumerator(table.createGenerator(scaleFactor, 1, 1));
          return new Enumerator<Object[]>() {
            @Override public Object[] current() {
              E row = rows.current();
              Object[] values = new Object[fields];
              for (int i = 0; i < fields; i++) {
                values[i] = value(columns.get(i), row);
              }
              return values;
            }

            @Override public boolean moveNext() {
              return rows.moveNext();
            }

            @Override public void reset() {
              throw new UnsupportedOperationException();
            }

            @Override public void close() {
              rows.close();
            }
          };
        }
      };
    }

    private static <E extends TpchEntity> Object value(TpchColumn<E> column, E row) {
      return switch (column.getType().getBase()) {
        case IDENTIFIER -> column.getIdentifier(row);
        case INTEGER -> column.getInteger(row);
        case DATE -> column.getDate(row);
        case DOUBLE -> column.getDouble(row);
        case VARCHAR -> column.getString(row);
      };
    }
  }
}
