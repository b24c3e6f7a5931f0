package io.quell.engine.pgcatalog;

import io.quell.catalog.Principal;
import io.quell.catalog.RoleInfo;
import io.quell.catalog.RoleStore;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.QueryThread;
import io.quell.session.RunningQuery;
import io.quell.session.Session;

import com.google.common.base.Suppliers;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.schema.lookup.LikePattern;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Quell's schemas, tables, views and roles as one statement of one session sees them, with the
 * OIDs the PostgreSQL catalog gives them: what every table of {@code pg_catalog} and
 * {@code information_schema} and every catalog function derives its answer from. A statement
 * gets one snapshot, taken when it first asks, so that all its scans and function calls agree
 * on the OIDs even if another session makes a view meanwhile.
 */
final class CatalogSnapshot {
  /** The database every session is connected to, whatever name the client gave. */
  static final String DATABASE = "quell";

  /**
   * The snapshot of the statement the thread last asked for: a function such as
   * {@code pg_table_is_visible} is called for every row, and must not rebuild the snapshot each
   * time. Kept until the thread's next statement asks.
   */
  private static final ThreadLocal<CatalogSnapshot> LAST = new ThreadLocal<>();

  private final PgCatalog catalog;
  private final Session session;
  private final RunningQuery statement;
  private final SchemaPlus root;
  private final JavaTypeFactory typeFactory;
  private final String currentSchema;
  private final Supplier<Relations> relations = Suppliers.memoize(this::readRelations);
  private final Supplier<List<Role>> roles = Suppliers.memoize(this::readRoles);

  private CatalogSnapshot(PgCatalog catalog, Session session) {
    this.catalog = catalog;
    this.session = session;
    this.statement = session.activeQuery();
    try {
      CalciteConnection connection = session.connection().unwrap(CalciteConnection.class);
      this.root = connection.getRootSchema();
      this.typeFactory = connection.getTypeFactory();
      this.currentSchema = connection.getSchema();
    } catch (SQLException e) {
      throw new IllegalStateException("a session's engine connection is Calcite's", e);
    }
  }

  /** The snapshot of the statement that scans a table with {@code root}. */
  static CatalogSnapshot of(DataContext root) {
    SchemaPlus rootSchema = root.getRootSchema();
    SchemaPlus pgCatalog = rootSchema == null ? null
        : rootSchema.subSchemas().get(PgCatalogSchema.NAME);
    if (pgCatalog == null) {
      throw new IllegalStateException("not a Quell engine connection");
    }
    PgCatalog catalog = pgCatalog.unwrap(PgCatalogSchema.class).catalog();
    return of(catalog, catalog.registry().sessionOf(root.getQueryProvider()));
  }

  /** The snapshot of the statement the current thread runs, for a catalog function. */
  static CatalogSnapshot ofStatement() {
    Session session = QueryThread.session();
    if (session == null) {
      throw notASession();
    }
    try {
      SchemaPlus pgCatalog = session.connection().unwrap(CalciteConnection.class)
          .getRootSchema().subSchemas().get(PgCatalogSchema.NAME);
      return of(pgCatalog.unwrap(PgCatalogSchema.class).catalog(), session);
    } catch (SQLException e) {
      throw new IllegalStateException("a session's engine connection is Calcite's", e);
    }
  }

  private static CatalogSnapshot of(PgCatalog catalog, Session session) {
    if (session == null) {
      throw notASession();
    }
    session.checkAlive();
    CatalogSnapshot last = LAST.get();
    if (last != null && last.session == session && last.statement != null
        && last.statement == session.activeQuery()) {
      return last;
    }
    CatalogSnapshot snapshot = new CatalogSnapshot(catalog, session);
    LAST.set(snapshot);
    return snapshot;
  }

  private static QuellException notASession() {
    return new QuellException(SqlState.CONNECTION_EXCEPTION,
        "statement does not belong to a Quell session");
  }

  PgCatalog catalog() {
    return catalog;
  }

  Session session() {
    return session;
  }

  /** The privileges of the session's user. */
  Principal principal() {
    return catalog.principal(session.user());
  }

  JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  /** The schema unqualified names resolve in besides {@code pg_catalog}. */
  String currentSchema() {
    return currentSchema;
  }

  List<Namespace> namespaces() {
    return relations.get().namespaces;
  }

  List<Relation> relations() {
    return relations.get().relations;
  }

  Optional<Namespace> namespace(String name) {
    return namespaces().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  Optional<Relation> relation(int oid) {
    return Optional.ofNullable(relations.get().byOid.get(oid));
  }

  Optional<Relation> relation(String schema, String name) {
    return relations().stream()
        .filter(r -> r.namespace().name().equals(schema) && r.name().equals(name)).findFirst();
  }

  /**
   * Whether {@code relation} is found by its unqualified name: it lies in {@code pg_catalog},
   * which PostgreSQL searches first, or in the session's current schema.
   */
  boolean isVisible(Relation relation) {
    String schema = relation.namespace().name();
    return schema.equals(PgCatalogSchema.NAME) || schema.equals(currentSchema);
  }

  List<Role> roles() {
    return roles.get();
  }

  Optional<Role> role(String name) {
    return roles().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  Optional<Role> role(int oid) {
    return roles().stream().filter(r -> r.oid() == oid).findFirst();
  }

  /** The owner of every schema and relation: Quell has no owners, so the first admin's. */
  static int ownerOid() {
    return Oids.BOOTSTRAP_SUPERUSER;
  }

  private Relations readRelations() {
    Map<String, SchemaPlus> schemas = new LinkedHashMap<>();
    for (String name : new TreeSet<>(root.subSchemas().getNames(LikePattern.any()))) {
      schemas.put(name, root.subSchemas().get(name));
    }
    Map<String, Integer> namespaceOids = Oids.assign(
        schemas.keySet().stream().filter(n -> !n.equals(PgCatalogSchema.NAME))
            .map(n -> "namespace " + n).toList(), Set.of());
    List<Namespace> namespaces = new ArrayList<>();
    List<String> relationKeys = new ArrayList<>();
    for (String name : schemas.keySet()) {
      namespaces.add(new Namespace(name, name.equals(PgCatalogSchema.NAME)
          ? Oids.PG_CATALOG_NAMESPACE : namespaceOids.get("namespace " + name)));
      for (String table : schemas.get(name).tables().getNames(LikePattern.any())) {
        relationKeys.add(relationKey(name, table));
      }
    }
    Map<String, Integer> relationOids = Oids.assign(relationKeys,
        namespaces.stream().map(Namespace::oid).collect(Collectors.toSet()));
    List<Relation> relations = new ArrayList<>();
    for (Namespace namespace : namespaces) {
      SchemaPlus schema = schemas.get(namespace.name());
      for (String name : new TreeSet<>(schema.tables().getNames(LikePattern.any()))) {
        Table table = schema.tables().get(name);
        if (table != null) {
          relations.add(new Relation(namespace, name,
              relationOids.get(relationKey(namespace.name(), name)), table, typeFactory));
        }
      }
    }
    return new Relations(namespaces, relations);
  }

  private static String relationKey(String schema, String table) {
    return "relation " + schema + "." + table;
  }

  private List<Role> readRoles() {
    List<RoleInfo> infos = catalog.roles().list();
    Map<String, Integer> oids = Oids.assign(infos.stream().map(RoleInfo::name)
        .filter(n -> !n.equals(RoleStore.ROOT)).map(n -> "role " + n).toList(), Set.of());
    return infos.stream().map(info -> new Role(info,
        info.name().equals(RoleStore.ROOT) ? Oids.BOOTSTRAP_SUPERUSER
            : oids.get("role " + info.name()),
        catalog.principal(info.name()).isAdmin())).toList();
  }

  /** A schema as a namespace. */
  record Namespace(String name, int oid) {
  }

  /** A role and its OID; {@code admin} if it is a member of admin, PostgreSQL's superuser. */
  record Role(RoleInfo info, int oid, boolean admin) {
    String name() {
      return info.name();
    }
  }

  private record Relations(List<Namespace> namespaces, List<Relation> relations,
      Map<Integer, Relation> byOid) {
    Relations(List<Namespace> namespaces, List<Relation> relations) {
      this(namespaces, relations, relations.stream()
          .collect(Collectors.toMap(Relation::oid, r -> r)));
    }
  }

  /** A table or view of a schema, whose columns are read when first asked for. */
  static final class Relation {
    private final Namespace namespace;
    private final String name;
    private final int oid;
    private final Table table;
    private final Supplier<List<Attribute>> attributes;

    Relation(Namespace namespace, String name, int oid, Table table,
        JavaTypeFactory typeFactory) {
      this.namespace = namespace;
      this.name = name;
      this.oid = oid;
      this.table = table;
      this.attributes = Suppliers.memoize(() -> readAttributes(typeFactory));
    }

    Namespace namespace() {
      return namespace;
    }

    String name() {
      return name;
    }

    int oid() {
      return oid;
    }

    boolean isView() {
      return table.getJdbcTableType() == Schema.TableType.VIEW;
    }

    /** {@code pg_class.relkind}: {@code v} for a view, {@code r} for any other table. */
    char kind() {
      return isView() ? 'v' : 'r';
    }

    /** The query of a view, null for a table. */
    String viewSql() {
      return table instanceof ViewTable view ? view.getViewSql() : null;
    }

    /** The planner's estimate of the rows, or null if the table has none. */
    Double rowCount() {
      return table.getStatistic().getRowCount();
    }

    /**
     * The columns; none for a view whose query no longer analyzes (its tables dropped, say),
     * which every query of it reports, so that listing the others still works.
     */
    List<Attribute> attributes() {
      return attributes.get();
    }

    private List<Attribute> readAttributes(JavaTypeFactory typeFactory) {
      RelDataType rowType;
      try {
        rowType = table.getRowType(typeFactory);
      } catch (QuellException invalidView) {
        return List.of();
      }
      List<Attribute> list = new ArrayList<>();
      rowType.getFieldList().forEach(field -> list.add(new Attribute(field.getName(),
          field.getIndex() + 1, ColumnType.of(field.getType()), field.getType().isNullable())));
      return list;
    }
  }

  /** A column: {@code attnum} counts from 1. */
  record Attribute(String name, int number, ColumnType type, boolean nullable) {
  }
}
