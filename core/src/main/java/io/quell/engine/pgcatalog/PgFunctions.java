package io.quell.engine.pgcatalog;

import io.quell.client.SqlState;
import io.quell.engine.pgcatalog.CatalogSnapshot.Namespace;
import io.quell.engine.pgcatalog.CatalogSnapshot.Relation;
import io.quell.engine.pgcatalog.CatalogSnapshot.Role;
import io.quell.error.QuellException;
import io.quell.parser.impl.QuellSqlParserImpl;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.linq4j.function.NonDeterministic;
import org.apache.calcite.linq4j.function.SemiStrict;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.TableFunction;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

import java.io.StringReader;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL's catalog functions that psql, pgjdbc, Metabase and Grafana call, answered from
 * the caller's {@link CatalogSnapshot}: visibility, owners, type names, privileges, sizes, view
 * definitions, and the descriptions, defaults, indexes and constraints Quell has none of (NULL,
 * as PostgreSQL answers for an object without one). Those that depend on the session or on the
 * catalogs are non-deterministic, so that the planner neither folds them into a plan nor shares
 * their answer between sessions through the plan cache. As PostgreSQL's, they are strict: a
 * NULL argument gives NULL without a call.
 */
@SemiStrict
public final class PgFunctions {
  /** PostgreSQL's number of the UTF8 encoding, the only one Quell speaks. */
  static final int UTF8 = 6;

  private static final SqlAbstractParserImpl.Metadata PARSER =
      QuellSqlParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();
  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
  private static final Set<String> TABLE_PRIVILEGES =
      Set.of("select", "insert", "update", "delete", "truncate", "references", "trigger");
  private static final Set<String> SCHEMA_PRIVILEGES = Set.of("create", "usage");
  private static final Set<String> DATABASE_PRIVILEGES =
      Set.of("create", "connect", "temporary", "temp");

  private static final Multimap<String, Function> ALL = ImmutableMultimap.<String, Function>builder()
      .put("pg_table_is_visible", function("tableIsVisible"))
      .put("pg_type_is_visible", function("typeIsVisible"))
      .put("pg_function_is_visible", function("functionIsVisible"))
      .put("pg_get_userbyid", function("userById"))
      .put("format_type", ScalarFunctionImpl.create(method(FormatType.class, "formatType")))
      .put("pg_encoding_to_char", function("encodingToChar"))
      .put("pg_get_expr", function("getExpr"))
      .put("pg_get_expr", function("getExprPretty"))
      .put("obj_description", function("objDescription"))
      .put("obj_description", function("objDescriptionInCatalog"))
      .put("col_description", function("colDescription"))
      .put("shobj_description", function("objDescriptionInCatalog"))
      .put("pg_get_indexdef", function("indexDef"))
      .put("pg_get_indexdef", function("indexColumnDef"))
      .put("pg_get_constraintdef", function("constraintDef"))
      .put("pg_get_constraintdef", function("constraintDefPretty"))
      .put("pg_get_function_result", function("functionResult"))
      .put("pg_get_function_arguments", function("functionArguments"))
      .put("pg_get_viewdef", function("viewDef"))
      .put("pg_get_viewdef", function("viewDefPretty"))
      .put("pg_relation_size", function("relationSize"))
      .put("pg_relation_size", function("relationSizeByName"))
      .put("pg_table_size", function("relationSize"))
      .put("pg_table_size", function("relationSizeByName"))
      .put("pg_total_relation_size", function("relationSize"))
      .put("pg_total_relation_size", function("relationSizeByName"))
      .put("pg_database_size", function("databaseSize"))
      .put("pg_database_size", function("databaseSizeByOid"))
      .put("pg_size_pretty", function("sizePretty"))
      .put("getdatabaseencoding", function("databaseEncoding"))
      .put("has_database_privilege", function("hasDatabasePrivilege"))
      .put("has_database_privilege", function("hasOwnDatabasePrivilege"))
      .put("has_table_privilege", function("hasTablePrivilege"))
      .put("has_table_privilege", function("hasTablePrivilegeByOid"))
      .put("has_table_privilege", function("hasOwnTablePrivilege"))
      .put("has_table_privilege", function("hasOwnTablePrivilegeByOid"))
      .put("has_any_column_privilege", function("hasTablePrivilege"))
      .put("has_any_column_privilege", function("hasOwnTablePrivilege"))
      .put("has_schema_privilege", function("hasSchemaPrivilege"))
      .put("has_schema_privilege", function("hasOwnSchemaPrivilege"))
      .put("quote_ident", function("quoteIdent"))
      .put("quote_literal", function("quoteLiteral"))
      .put("quote_nullable", ScalarFunctionImpl.create(method(Format.class, "quoteNullable")))
      .put("gen_random_uuid", function("randomUuid"))
      .putAll("format", Format.functions())
      .put("to_regclass", function("toRegclass"))
      .put("to_regnamespace", function("toRegnamespace"))
      .put("to_regtype", function("toRegtype"))
      .put("regclass", function("regclass"))
      .put("regnamespace", function("regnamespace"))
      .put("regtype", function("regtype"))
      .put("current_schemas", ArrayFunctions.namesFunction("currentSchemas"))
      .put("parse_ident", ArrayFunctions.namesFunction("parseIdent"))
      .put("parse_ident", ArrayFunctions.namesFunction("parseIdentStrictly"))
      .put("array_to_string", array("arrayToString"))
      .put("array_to_string", array("arrayToStringWithNulls"))
      .put("array_upper", array("arrayUpper"))
      .put("array_lower", array("arrayLower"))
      .put("generate_series", TableFunctionImpl.create(method(GenerateSeries.class, "of")))
      .put("generate_series",
          TableFunctionImpl.create(method(GenerateSeries.class, "withStep")))
      .put("pg_get_keywords", TableFunctionImpl.create(method(PgKeywords.class, "of")))
      .put("pg_relation_is_publishable", function("relationIsPublishable"))
      .put("pg_backend_pid", backend("pid"))
      .put("pg_cancel_backend", backend("cancel"))
      .put("pg_terminate_backend", backend("terminate"))
      .build();

  private PgFunctions() {
  }

  /** Whether {@code name} names one of the catalog's table functions, in any case. */
  public static boolean isTableFunction(String name) {
    return ALL.get(name.toLowerCase(Locale.ROOT)).stream()
        .anyMatch(TableFunction.class::isInstance);
  }

  /** Every function by its SQL name; a name may have several signatures. */
  static Multimap<String, Function> all() {
    return ALL;
  }

  private static Function function(String method) {
    return ScalarFunctionImpl.create(method(PgFunctions.class, method));
  }

  private static Function backend(String method) {
    return ScalarFunctionImpl.create(method(Backends.class, method));
  }

  private static Function array(String method) {
    return ScalarFunctionImpl.create(method(ArrayFunctions.class, method));
  }

  static Method method(Class<?> type, String name) {
    return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no method " + name));
  }

  /**
   * Whether the relation is found by its unqualified name ({@code pg_catalog} or the current
   * schema); NULL for an OID that names no relation, as PostgreSQL.
   */
  @NonDeterministic
  public static Boolean tableIsVisible(int oid) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    return s.relation(oid).map(s::isVisible).orElse(null);
  }

  /** Every type lies in {@code pg_catalog}, which is always searched. */
  public static Boolean typeIsVisible(int oid) {
    return PgType.ofOid(oid).isPresent() ? Boolean.TRUE : null;
  }

  /** {@code pg_proc} lists no functions, so no OID names one. */
  public static Boolean functionIsVisible(int oid) {
    return null;
  }

  /** The name of the role, or PostgreSQL's {@code unknown (OID=n)} for no role. */
  @NonDeterministic
  public static String userById(int oid) {
    return CatalogSnapshot.ofStatement().role(oid).map(Role::name)
        .orElse("unknown (OID=" + oid + ")");
  }

  /** The encoding's name, or the empty string for a number that is no encoding. */
  public static String encodingToChar(int encoding) {
    return encoding == UTF8 ? "UTF8" : "";
  }

  /**
   * The text of an expression tree: Quell keeps none (defaults, check constraints, index
   * predicates are all NULL in its catalog), so only a NULL tree comes from the catalog, and
   * any other value is no tree.
   */
  public static String getExpr(String tree, int relation) {
    throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED,
        "cannot accept a value of type pg_node_tree");
  }

  public static String getExprPretty(String tree, int relation, boolean pretty) {
    return getExpr(tree, relation);
  }

  /** Quell keeps no comments ({@code pg_description} is empty): NULL for every object. */
  public static String objDescription(int oid) {
    return null;
  }

  public static String objDescriptionInCatalog(int oid, String catalog) {
    return null;
  }

  public static String colDescription(int relation, int column) {
    return null;
  }

  /** Quell has no indexes ({@code pg_index} is empty): NULL, as for an OID that is no index. */
  public static String indexDef(int oid) {
    return null;
  }

  public static String indexColumnDef(int oid, int column, boolean pretty) {
    return null;
  }

  /** Quell has no constraints ({@code pg_constraint} is empty). */
  public static String constraintDef(int oid) {
    return null;
  }

  public static String constraintDefPretty(int oid, boolean pretty) {
    return null;
  }

  /** {@code pg_proc} lists no functions, so no OID names one. */
  public static String functionResult(int oid) {
    return null;
  }

  public static String functionArguments(int oid) {
    return null;
  }

  /** The query of a view; NULL for an OID that names no view. */
  @NonDeterministic
  public static String viewDef(int oid) {
    return CatalogSnapshot.ofStatement().relation(oid).map(Relation::viewSql).orElse(null);
  }

  @NonDeterministic
  public static String viewDefPretty(int oid, boolean pretty) {
    return viewDef(oid);
  }

  /** Whether a publication could publish the relation: a table, not a view; NULL for none. */
  @NonDeterministic
  public static Boolean relationIsPublishable(int oid) {
    return CatalogSnapshot.ofStatement().relation(oid).map(r -> !r.isView()).orElse(null);
  }

  /** Quell stores no table: 0 bytes for every relation, NULL for an OID that names none. */
  @NonDeterministic
  public static Long relationSize(int oid) {
    return CatalogSnapshot.ofStatement().relation(oid).map(r -> 0L).orElse(null);
  }

  /** As {@link #relationSize(int)}, of the relation a name names, as 'name'::regclass. */
  @NonDeterministic
  public static long relationSizeByName(String name) {
    return relationSize(regclass(name));
  }

  /** Quell stores no table, so its one database holds 0 bytes; NULL for another. */
  public static Long databaseSize(String name) {
    return name.equals(CatalogSnapshot.DATABASE) ? 0L : null;
  }

  public static Long databaseSizeByOid(int oid) {
    return oid == Oids.DATABASE ? 0L : null;
  }

  /**
   * {@code bytes} as PostgreSQL's {@code pg_size_pretty} shows it: bytes below 10 kB, then the
   * first of kB, MB, GB, TB, PB under 10 of the next, each rounded half up.
   */
  public static String sizePretty(long bytes) {
    long limit = 10 * 1024;
    if (Math.abs(bytes) < limit) {
      return bytes + " bytes";
    }
    // In half units, so that the last division rounds half up, as PostgreSQL's does.
    long halves = bytes >> 9;
    for (String unit : List.of("kB", "MB", "GB", "TB")) {
      if (Math.abs(halves) < limit * 2 - 1) {
        return (halves + 1) / 2 + " " + unit;
      }
      halves >>= 10;
    }
    return (halves + 1) / 2 + " PB";
  }

  /** The encoding of the database: UTF8, the only one Quell speaks. */
  public static String databaseEncoding() {
    return encodingToChar(UTF8);
  }

  /**
   * Whether {@code user} may {@code privileges} on the database: anyone may connect and make
   * temporary objects, only admins create; 3D000 for another database.
   */
  @NonDeterministic
  public static boolean hasDatabasePrivilege(String user, String database, String privileges) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    Role role = role(s, user);
    if (!database.equals(CatalogSnapshot.DATABASE)) {
      throw new QuellException(SqlState.INVALID_CATALOG_NAME,
          "database \"" + database + "\" does not exist");
    }
    Set<String> asked = privileges(privileges, DATABASE_PRIVILEGES);
    return asked.contains("connect") || asked.contains("temporary") || asked.contains("temp")
        || role.admin();
  }

  @NonDeterministic
  public static boolean hasOwnDatabasePrivilege(String database, String privileges) {
    return hasDatabasePrivilege(CatalogSnapshot.ofStatement().session().user(), database,
        privileges);
  }

  /**
   * Whether {@code user} may {@code privileges} (a comma-separated list, any of which will do)
   * the relation named {@code table}: every user may read every table and view; nothing in
   * Quell can be written.
   */
  @NonDeterministic
  public static boolean hasTablePrivilege(String user, String table, String privileges) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    role(s, user);
    relation(s, table);
    return privileges(privileges, TABLE_PRIVILEGES).contains("select");
  }

  @NonDeterministic
  public static boolean hasTablePrivilegeByOid(String user, int table, String privileges) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    role(s, user);
    if (s.relation(table).isEmpty()) {
      throw new QuellException(SqlState.UNDEFINED_TABLE,
          "relation with OID " + table + " does not exist");
    }
    return privileges(privileges, TABLE_PRIVILEGES).contains("select");
  }

  @NonDeterministic
  public static boolean hasOwnTablePrivilege(String table, String privileges) {
    return hasTablePrivilege(CatalogSnapshot.ofStatement().session().user(), table,
        privileges);
  }

  @NonDeterministic
  public static boolean hasOwnTablePrivilegeByOid(int table, String privileges) {
    return hasTablePrivilegeByOid(CatalogSnapshot.ofStatement().session().user(), table,
        privileges);
  }

  /**
   * Whether {@code user} may use the schema (anyone) or create in it (admins, who alone make
   * views).
   */
  @NonDeterministic
  public static boolean hasSchemaPrivilege(String user, String schema, String privileges) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    Role role = role(s, user);
    if (s.namespace(schema).isEmpty()) {
      throw new QuellException(SqlState.INVALID_SCHEMA_NAME,
          "schema \"" + schema + "\" does not exist");
    }
    Set<String> asked = privileges(privileges, SCHEMA_PRIVILEGES);
    return asked.contains("usage") || role.admin();
  }

  @NonDeterministic
  public static boolean hasOwnSchemaPrivilege(String schema, String privileges) {
    return hasSchemaPrivilege(CatalogSnapshot.ofStatement().session().user(), schema,
        privileges);
  }

  /**
   * {@code name} quoted if Quell's SQL needs quotes to read it back as that name: anything but
   * lower-case letters, digits and underscores, or a reserved word.
   */
  public static String quoteIdent(String name) {
    if (PLAIN_IDENTIFIER.matcher(name).matches()
        && !PARSER.isReservedWord(name.toUpperCase(Locale.ROOT))) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * What {@code pg_typeof} says of a value of Calcite type {@code type}: the SQL name of the
   * PostgreSQL type it is shown as, without modifiers ({@code integer},
   * {@code character varying}), as {@code format_type} gives it.
   */
  public static String typeOf(RelDataType type) {
    return ColumnType.format(ColumnType.of(type).type(), null);
  }

  /** {@code value} as an SQL string literal ({@link Format#quoteNullable}). */
  public static String quoteLiteral(String value) {
    return Format.quoteNullable(value);
  }

  /** A random (version 4) UUID, as text: Quell has no uuid type. */
  @NonDeterministic
  public static String randomUuid() {
    return java.util.UUID.randomUUID().toString();
  }

  /** The OID of the relation named {@code name}, or NULL if none. */
  @NonDeterministic
  public static Integer toRegclass(String name) {
    CatalogSnapshot s = CatalogSnapshot.ofStatement();
    return find(s, name).map(Relation::oid).orElse(null);
  }

  /** The OID of the schema named {@code name} (or {@code quell.name}), or NULL if none. */
  @NonDeterministic
  public static Integer toRegnamespace(String name) {
    List<String> names = names(name);
    if (names.size() > 2) {
      throw invalidName(name);
    }
    if (names.size() == 2 && !names.get(0).equals(CatalogSnapshot.DATABASE)) {
      return null;
    }
    return CatalogSnapshot.ofStatement().namespace(names.get(names.size() - 1))
        .map(Namespace::oid).orElse(null);
  }

  /**
   * The OID of the type named {@code name}, by its {@code pg_type.typname} ({@code int4}) or
   * its SQL name ({@code integer}, {@code character varying}), possibly qualified by
   * {@code pg_catalog}; NULL if none.
   */
  public static Integer toRegtype(String name) {
    String type = name.trim().toLowerCase(Locale.ROOT).replace("\"", "");
    String unqualified = type.startsWith(PgCatalogSchema.NAME + ".")
        ? type.substring(PgCatalogSchema.NAME.length() + 1) : type;
    return Arrays.stream(PgType.values())
        .filter(t -> t.typname().equals(unqualified)
            || ColumnType.format(t, null).replace("\"", "").equals(unqualified))
        .findFirst().map(PgType::oid).orElse(null);
  }

  /**
   * The input function of type {@code regclass}, what {@code 'name'::regclass} means: the OID
   * of the relation named {@code name}; 42P01 if there is none.
   */
  @NonDeterministic
  public static int regclass(String name) {
    return relation(CatalogSnapshot.ofStatement(), name).oid();
  }

  /** {@code 'name'::regnamespace}: the OID of the schema; 3F000 if there is none. */
  @NonDeterministic
  public static int regnamespace(String name) {
    Integer oid = toRegnamespace(name);
    if (oid == null) {
      throw new QuellException(SqlState.INVALID_SCHEMA_NAME,
          "schema \"" + String.join(".", names(name)) + "\" does not exist");
    }
    return oid;
  }

  /** {@code 'name'::regtype}: the OID of the type; 42704 if there is none. */
  public static int regtype(String name) {
    Integer oid = toRegtype(name);
    if (oid == null) {
      throw new QuellException(SqlState.UNDEFINED_OBJECT,
          "type \"" + name + "\" does not exist");
    }
    return oid;
  }

  /** The role {@code user}; 42704 if there is none. */
  private static Role role(CatalogSnapshot s, String user) {
    return s.role(user).orElseThrow(() -> new QuellException(SqlState.UNDEFINED_OBJECT,
        "role \"" + user + "\" does not exist"));
  }

  /** The relation {@code name} names; 42P01 if none. */
  private static Relation relation(CatalogSnapshot s, String name) {
    return find(s, name).orElseThrow(() -> new QuellException(SqlState.UNDEFINED_TABLE,
        "relation \"" + name + "\" does not exist"));
  }

  /**
   * The relation a possibly qualified, possibly quoted name names: an unqualified one in
   * {@code pg_catalog} first, then in the current schema, as PostgreSQL's search path.
   */
  private static Optional<Relation> find(CatalogSnapshot s, String name) {
    List<String> names = names(name);
    return switch (names.size()) {
      case 1 -> s.relation(PgCatalogSchema.NAME, names.get(0))
          .or(() -> s.relation(s.currentSchema(), names.get(0)));
      case 2 -> s.relation(names.get(0), names.get(1));
      case 3 -> names.get(0).equals(CatalogSnapshot.DATABASE)
          ? s.relation(names.get(1), names.get(2)) : Optional.empty();
      default -> throw invalidName(name);
    };
  }

  /**
   * The parts of a name as SQL text ({@code tpch.lineitem}, {@code "My Table"}), read by the SQL
   * parser: unquoted parts in lower case; 42602 for text that is no name.
   */
  private static List<String> names(String text) {
    SqlNode node;
    try {
      node = SqlParser.create(text, SqlParser.config().withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED).withCaseSensitive(true)).parseExpression();
    } catch (SqlParseException e) {
      throw invalidName(text);
    }
    if (!(node instanceof SqlIdentifier identifier) || identifier.isStar()) {
      throw invalidName(text);
    }
    return identifier.names;
  }

  private static QuellException invalidName(String text) {
    return new QuellException(SqlState.INVALID_NAME, "invalid name syntax: \"" + text + "\"");
  }

  /**
   * The privileges named in {@code text}, each one of {@code known}, in lower case; 22023 for
   * one that is not, as PostgreSQL.
   */
  private static Set<String> privileges(String text, Set<String> known) {
    Set<String> asked = new java.util.HashSet<>();
    for (String part : text.split(",")) {
      String privilege = part.trim().toLowerCase(Locale.ROOT)
          .replaceFirst("\\s+with\\s+grant\\s+option$", "");
      if (!known.contains(privilege)) {
        throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
            "unrecognized privilege type: \"" + part.trim() + "\"");
      }
      asked.add(privilege);
    }
    return asked;
  }

  /**
   * {@code format_type}, which alone is not strict: a NULL modifier means none was given
   * ({@code character} rather than {@code bpchar}).
   */
  public static final class FormatType {
    private FormatType() {
    }

    /** The SQL name of type {@code oid} with modifier {@code typmod}: psql's Type column. */
    public static String formatType(Integer oid, Integer typmod) {
      if (oid == null) {
        return null;
      }
      return PgType.ofOid(oid).map(type -> ColumnType.format(type, typmod)).orElse("???");
    }
  }
}
