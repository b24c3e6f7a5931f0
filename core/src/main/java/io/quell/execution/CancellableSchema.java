package io.quell.execution;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FilterableTable;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.Wrapper;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A view of any Calcite schema whose scannable tables check the statement's cancel flag while
 * they produce rows. Calcite's enumerable engine only looks at the flag when the client
 * fetches, so without this a cancelled aggregation keeps burning CPU until it is done. Tables
 * that are not scanned by Quell (translatable or queryable ones, e.g. JDBC adapters that push
 * the query to another database) pass through unchanged.
 */
public final class CancellableSchema implements Schema, Wrapper {
  private final Schema delegate;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final Map<String, Schema> subSchemas = new ConcurrentHashMap<>();

  private CancellableSchema(Schema delegate) {
    this.delegate = delegate;
  }

  public static Schema wrap(Schema schema) {
    return schema instanceof CancellableSchema ? schema : new CancellableSchema(schema);
  }

  /** The enumerable of {@code rows} that stops with 57014 once the statement is cancelled. */
  public static <T> Enumerable<T> checking(Enumerable<T> rows, DataContext root) {
    AtomicBoolean flag = QueryThread.cancelFlag(root);
    if (flag == null) {
      return rows;
    }
    return new AbstractEnumerable<T>() {
      @Override public Enumerator<T> enumerator() {
        // Also before opening: a nested-loop join reopens its inner side once per outer row,
        // and opening a scan can cost more than reading many of its rows.
        if (flag.get()) {
          throw new QueryCanceledException();
        }
        return new CancelCheckingEnumerator<>(rows.enumerator(), flag);
      }
    };
  }

  @Override public Table getTable(String name) {
    Table table = delegate.getTable(name);
    return table == null ? null : tables.computeIfAbsent(name, n -> wrapTable(table));
  }

  @Override public Set<String> getTableNames() {
    return delegate.getTableNames();
  }

  @Override public RelProtoDataType getType(String name) {
    return delegate.getType(name);
  }

  @Override public Set<String> getTypeNames() {
    return delegate.getTypeNames();
  }

  @Override public Collection<Function> getFunctions(String name) {
    return delegate.getFunctions(name);
  }

  @Override public Set<String> getFunctionNames() {
    return delegate.getFunctionNames();
  }

  @Override public Schema getSubSchema(String name) {
    Schema sub = delegate.getSubSchema(name);
    return sub == null ? null : subSchemas.computeIfAbsent(name, n -> wrap(sub));
  }

  @Override public Set<String> getSubSchemaNames() {
    return delegate.getSubSchemaNames();
  }

  @Override public Expression getExpression(SchemaPlus parentSchema, String name) {
    return Schemas.subSchemaExpression(parentSchema, name, CancellableSchema.class);
  }

  @Override public boolean isMutable() {
    return delegate.isMutable();
  }

  @Override public Schema snapshot(SchemaVersion version) {
    return wrap(delegate.snapshot(version));
  }

  /**
   * The wrapped schema's view as {@code type}: the code Calcite's JDBC adapter generates asks
   * its schema's expression, which names this wrapper, for the {@code DataSource}.
   */
  @Override public <C> C unwrap(Class<C> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(delegate)) {
      return type.cast(delegate);
    }
    return delegate instanceof Wrapper wrapper ? wrapper.unwrap(type) : null;
  }

  private static Table wrapTable(Table table) {
    if (table instanceof TranslatableTable) {
      // Its own rules decide where it runs: a JDBC table pushes the query to its database.
      // Scanning it here instead would fetch the whole table into Quell.
      return table;
    }
    if (table instanceof ProjectableFilterableTable t) {
      return new ProjectableFilterable(t);
    }
    if (table instanceof FilterableTable t) {
      return new Filterable(t);
    }
    if (table instanceof ScannableTable t) {
      return new Scannable(t);
    }
    return table;
  }

  /** Everything but the scan is the wrapped table's. */
  private abstract static class Wrapped<T extends Table> implements Table {
    final T table;

    Wrapped(T table) {
      this.table = table;
    }

    @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return table.getRowType(typeFactory);
    }

    @Override public Statistic getStatistic() {
      return table.getStatistic();
    }

    @Override public TableType getJdbcTableType() {
      return table.getJdbcTableType();
    }

    @Override public boolean isRolledUp(String column) {
      return table.isRolledUp(column);
    }

    @Override public boolean rolledUpColumnValidInsideAgg(String column,
        org.apache.calcite.sql.SqlCall call, org.apache.calcite.sql.SqlNode parent,
        org.apache.calcite.config.CalciteConnectionConfig config) {
      return table.rolledUpColumnValidInsideAgg(column, call, parent, config);
    }
  }

  private static final class Scannable extends Wrapped<ScannableTable> implements ScannableTable {
    Scannable(ScannableTable table) {
      super(table);
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      return checking(table.scan(root), root);
    }
  }

  private static final class Filterable extends Wrapped<FilterableTable>
      implements FilterableTable {
    Filterable(FilterableTable table) {
      super(table);
    }

    @Override public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters) {
      return checking(table.scan(root, filters), root);
    }
  }

  private static final class ProjectableFilterable extends Wrapped<ProjectableFilterableTable>
      implements ProjectableFilterableTable {
    ProjectableFilterable(ProjectableFilterableTable table) {
      super(table);
    }

    @Override public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters,
        int[] projects) {
      return checking(table.scan(root, filters, projects), root);
    }
  }
}
