package io.quell.engine;

import io.quell.catalog.ViewDefinition;
import io.quell.catalog.ViewStore;
import io.quell.client.SqlState;
import io.quell.error.QuellException;

import com.google.common.base.Suppliers;
import com.google.common.base.Throwables;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.Wrapper;
import org.apache.calcite.schema.impl.DelegatingSchema;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A data schema as one session's Calcite connection sees it: the schema's own tables and,
 * beside them, the views that the user catalog holds for it, read afresh at each lookup (so a
 * view made by another session or cluster member appears without a reconnect). A view is
 * Calcite's {@link ViewTable} of its stored SQL, expanded into the plan of every query that
 * reads it: the system tables under a view over SHOW SESSIONS therefore filter their rows for
 * whoever runs the query, not for whoever made the view. A view's query is resolved in the
 * view's own schema, and analyzed with the settings of the session's connection (names
 * matched in any case, PostgreSQL's functions), as the statements the session runs.
 */
final class ViewSchema extends DelegatingSchema implements Wrapper {
  /**
   * The views whose queries this thread is analyzing: a view that reads itself, directly or
   * through others, fails with 42P17 instead of recursing until the stack runs out.
   */
  private static final ThreadLocal<Set<List<String>>> ANALYZING =
      ThreadLocal.withInitial(HashSet::new);

  private final String name;
  private final ViewStore views;
  private final CalciteConnection connection;
  private final Lookup<Table> tables;

  private ViewSchema(String name, Schema data, ViewStore views, CalciteConnection connection) {
    super(data);
    this.name = name;
    this.views = views;
    this.connection = connection;
    this.tables = Lookup.concat(data.tables(), new ViewLookup());
  }

  /** Adds {@code data} as schema {@code name} of {@code connection}, with its views. */
  static void add(CalciteConnection connection, String name, Schema data, ViewStore views) {
    SchemaPlus added =
        connection.getRootSchema().add(name, new ViewSchema(name, data, views, connection));
    // Calcite's caching schema keeps the first list of tables it reads for the life of the
    // connection, which would hide every view made afterwards. Switching the cache off reaches
    // only the lookups that exist at that moment (CachingCalciteSchema does not pass the
    // switch to lookups it makes later), so the table lookup is made first.
    added.tables();
    added.setCacheEnabled(false);
  }

  /** The schema's name in the root, under which the catalog keeps its views. */
  String name() {
    return name;
  }

  /** Whether the data schema itself has a table {@code table}, in any case. */
  boolean hasTable(String table) {
    return schema.tables().getIgnoreCase(table) != null;
  }

  /**
   * The row type of {@code view}'s query, as this session would see it; a failure is the
   * query's error (42P17 for a view that reads itself) naming the view.
   */
  RelDataType analyze(ViewDefinition view) {
    List<String> key = List.of(view.schema(), ViewDefinition.fold(view.name()));
    if (!ANALYZING.get().add(key)) {
      throw new QuellException(SqlState.INVALID_OBJECT_DEFINITION,
          "infinite recursion detected in view \"" + view.name() + "\"");
    }
    try {
      CalciteSchema home = CalciteSchema.from(connection.getRootSchema().subSchemas().get(name));
      return Schemas.analyzeView(connection, home, null, view.sql(),
          List.of(name, view.name()), false).rowType;
    } catch (RuntimeException e) {
      throw invalid(view, e);
    } finally {
      ANALYZING.get().remove(key);
    }
  }

  /**
   * The error for a view whose query failed with {@code e}: Quell's own errors as they are,
   * others with the message of Calcite's validator without its position, which would point
   * into the stored SQL rather than into anything the user wrote.
   */
  private static QuellException invalid(ViewDefinition view, RuntimeException e) {
    QuellException error = QuellException.unwrap(e);
    List<Throwable> chain = Throwables.getCausalChain(e);
    if (chain.contains(error)) {
      return error;
    }
    String message = chain.stream().filter(CalciteContextException.class::isInstance)
        .map(t -> t.getCause() != null ? t.getCause().getMessage() : null)
        .filter(m -> m != null).findFirst().orElse(error.getMessage());
    return new QuellException(error.sqlState(),
        "view \"" + view.name() + "\" is invalid: " + message, e);
  }

  /**
   * A view as a table, whose row type is derived only when asked for: listing the views
   * (DatabaseMetaData.getTables) analyzes none of them.
   */
  private ViewTable table(ViewDefinition view) {
    Supplier<RelDataType> rowType = Suppliers.memoize(() -> analyze(view));
    return new ViewTable(Object[].class, typeFactory -> typeFactory.copyType(rowType.get()),
        view.sql(), List.of(name), List.of(name, view.name()));
  }

  @Override public Lookup<Table> tables() {
    return tables;
  }

  @Deprecated @Override public Table getTable(String table) {
    return tables.get(table);
  }

  @Deprecated @Override public Set<String> getTableNames() {
    return tables.getNames(LikePattern.any());
  }

  @Override public Schema snapshot(SchemaVersion version) {
    return new ViewSchema(name, schema.snapshot(version), views, connection);
  }

  /** The data schema's view as {@code type}, for the code Calcite generates against it. */
  @Override public <C> C unwrap(Class<C> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(schema)) {
      return type.cast(schema);
    }
    return schema instanceof Wrapper wrapper ? wrapper.unwrap(type) : null;
  }

  /** The catalog's views of this schema, as tables. */
  private final class ViewLookup implements Lookup<Table> {
    @Override public Table get(String table) {
      return views.inSchema(name).stream().filter(v -> v.name().equals(table)).findFirst()
          .map(ViewSchema.this::table).orElse(null);
    }

    @Override public Named<Table> getIgnoreCase(String table) {
      String folded = ViewDefinition.fold(table);
      return views.inSchema(name).stream()
          .filter(v -> ViewDefinition.fold(v.name()).equals(folded)).findFirst()
          .map(v -> new Named<Table>(v.name(), table(v))).orElse(null);
    }

    @Override public Set<String> getNames(LikePattern pattern) {
      return views.inSchema(name).stream().map(ViewDefinition::name)
          .filter(pattern.matcher()::apply).collect(Collectors.toSet());
    }
  }
}
