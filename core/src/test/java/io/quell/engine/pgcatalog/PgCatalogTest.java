package io.quell.engine.pgcatalog;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineFixture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code pg_catalog} and {@code information_schema} as the sample TPC-H schema and a view make
 * them, read with standard SQL: what psql's, pgjdbc's and the BI tools' queries (see
 * {@link PgClientQueriesTest}) find there.
 */
class PgCatalogTest {
  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE VIEW v_nation AS SELECT n_name, n_regionkey FROM nation");
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void aNamespacePerSchema() throws Exception {
    assertEquals(List.of("pg_catalog", "information_schema", "quell_internal", "tpch"),
        column(root, "SELECT nspname FROM pg_catalog.pg_namespace "
            + "WHERE nspname IN ('pg_catalog', 'information_schema', 'quell_internal', 'tpch') "
            + "ORDER BY CASE nspname WHEN 'pg_catalog' THEN 0 ELSE 1 END, nspname"));
    assertEquals(List.of(11), column(root,
        "SELECT oid FROM pg_namespace WHERE nspname = 'pg_catalog'"));
    assertTrue(column(root, "SELECT oid FROM pg_namespace WHERE nspname <> 'pg_catalog'")
        .stream().allMatch(oid -> (Integer) oid > 16384));
  }

  @Test void aClassPerTableAndView() throws Exception {
    assertEquals(List.of(List.of("customer", "r"), List.of("lineitem", "r"),
            List.of("nation", "r"), List.of("orders", "r"), List.of("part", "r"),
            List.of("partsupp", "r"), List.of("region", "r"), List.of("supplier", "r"),
            List.of("v_nation", "v")),
        rows(root, "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = 'tpch' ORDER BY 1"));
    assertEquals(List.of(List.of((short) 16, 60012.15f, "root")), rows(root,
        "SELECT relnatts, reltuples, pg_get_userbyid(relowner) FROM pg_class "
            + "WHERE relname = 'lineitem'"));
    // the catalog describes itself, as PostgreSQL's does
    assertEquals(List.of("r"), column(root, "SELECT c.relkind FROM pg_class c JOIN "
        + "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' "
        + "AND c.relname = 'pg_class'"));
  }

  @Test void oidsAreTheSameForEverySessionAndQuery() throws Exception {
    String oids = "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = 'tpch' ORDER BY c.relname";
    List<Object> first = column(root, oids);
    assertEquals(9, new HashSet<>(first).size());
    assertTrue(first.stream().allMatch(oid -> (Integer) oid > 16384), first.toString());
    update(root, "CREATE USER alice");
    assertEquals(first, column(f.connect("alice"), oids));
    // a table's OID does not move when another relation is made
    update(root, "CREATE VIEW v_region AS SELECT r_name FROM region");
    List<Object> after = column(root, oids + " ");
    assertEquals(first.subList(0, 8), after.subList(0, 8));
    // and the OID of one query is what a later one is asked with, as psql's \d does
    Object lineitem = column(root, "SELECT oid FROM pg_class WHERE relname = 'lineitem'").get(0);
    assertEquals(List.of("lineitem"), column(root,
        "SELECT relname FROM pg_class WHERE oid = " + lineitem));
    assertEquals(List.of(lineitem), column(root, "SELECT regclass('tpch.lineitem')"));
  }

  @Test void oidsOfKeysThatHashAlikeDiffer() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      keys.add("relation tpch.t" + i);
    }
    // some 200,000 keys in 2^31 OIDs: a few hash alike
    Map<String, Integer> oids = Oids.assign(keys, Set.of(20_000));
    assertEquals(keys.size(), new HashSet<>(oids.values()).size());
    assertTrue(oids.values().stream().allMatch(oid -> oid > Oids.DATABASE && oid != 20_000));
    Collections.shuffle(keys, new Random(1));
    assertEquals(oids, Oids.assign(keys, Set.of(20_000)));
  }

  @Test void attributesAreTheColumnsWithTheirPostgresTypes() throws Exception {
    assertEquals(List.of(
            List.of((short) 1, "l_orderkey", "bigint", 20, true),
            List.of((short) 4, "l_linenumber", "integer", 23, true),
            List.of((short) 5, "l_quantity", "double precision", 701, true),
            List.of((short) 9, "l_returnflag", "character varying", 1043, true),
            List.of((short) 11, "l_shipdate", "date", 1082, true)),
        rows(root, "SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
            + "a.atttypid, a.attnotnull FROM pg_catalog.pg_attribute a "
            + "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            + "WHERE c.relname = 'lineitem' AND a.attnum IN (1, 4, 5, 9, 11) "
            + "AND NOT a.attisdropped ORDER BY a.attnum"));
    assertEquals(List.of(List.of("n_name", (short) 1), List.of("n_regionkey", (short) 2)),
        rows(root,
        "SELECT a.attname, a.attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            + "WHERE c.relname = 'v_nation' ORDER BY 2"));
    assertEquals(List.of(List.of(-1, "", "", false)), rows(root, "SELECT DISTINCT "
        + "a.atttypmod, a.attidentity, a.attgenerated, a.atthasdef FROM pg_attribute a "
        + "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = 'lineitem'"));
  }

  @Test void formatTypeSpellsTypesAsPostgres() throws Exception {
    assertEquals(List.of(List.of("character varying(44)", "numeric(12,2)", "text", "character",
            "bpchar", "timestamp without time zone", "integer[]", "???")),
        rows(root, "SELECT format_type(1043, 48), format_type(1700, 786438), "
            + "format_type(25, NULL), format_type(1042, NULL), format_type(1042, -1), "
            + "pg_catalog.format_type(1114, -1), format_type(1007, -1), format_type(1, -1)"));
  }

  @Test void typesAreQuellsPostgresTypes() throws Exception {
    assertEquals(List.of(List.of(23, "int4", (short) 4, "int4in", 1007),
            List.of(1007, "_int4", (short) -1, "array_in", 0)),
        rows(root, "SELECT oid, typname, typlen, typinput, typarray FROM pg_type "
            + "WHERE typname IN ('int4', '_int4') ORDER BY oid"));
    assertEquals(List.of(23), column(root, "SELECT e.oid FROM pg_type t "
        + "JOIN pg_type e ON t.typelem = e.oid WHERE t.oid = 1007"));
    assertTrue(column(root, "SELECT oid FROM pg_type").size() >= 25);
  }

  @Test void rolesWithoutTheirPasswords() throws Exception {
    update(root, "CREATE USER alice WITH PASSWORD 'alice-secret' CONNECTION LIMIT 3");
    update(root, "CREATE ROLE auditors");
    update(root, "GRANT auditors TO alice");
    update(root, "ALTER ROLE alice SET statement_timeout = '5s'");
    assertEquals(List.of(
            List.of("admin", true, false, -1),
            List.of("alice", false, true, 3),
            List.of("auditors", false, false, -1),
            List.of("root", true, true, -1)),
        rows(root, "SELECT rolname, rolsuper, rolcanlogin, rolconnlimit FROM pg_roles "
            + "ORDER BY 1"));
    assertEquals(List.of(10), column(root, "SELECT oid FROM pg_roles WHERE rolname = 'root'"));
    assertEquals(List.of("********"), column(root,
        "SELECT DISTINCT rolpassword FROM pg_roles"));
    assertEquals(1, rows(root, "SELECT rolpassword FROM pg_authid").stream()
        .map(r -> r.get(0)).distinct().count());
    assertEquals(Collections.singletonList(null), column(root,
        "SELECT DISTINCT rolpassword FROM pg_authid"));
    // MEMBER is a reserved word of Calcite's, so the column is quoted
    assertEquals(List.of(List.of("alice", "auditors")), rows(root, "SELECT m.rolname, "
        + "r.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.\"member\" "
        + "JOIN pg_roles r ON r.oid = a.roleid WHERE m.rolname = 'alice'"));
    assertEquals(List.of("alice", "root"), column(root,
        "SELECT usename FROM pg_user ORDER BY 1"));
    // a role's defaults are for admins and the role itself, as in quell_internal.role_settings
    String config = "SELECT array_to_string(rolconfig, ',') FROM pg_roles "
        + "WHERE rolname = 'alice'";
    assertEquals(List.of("statement_timeout=5s"), column(root, config));
    update(root, "CREATE USER bob");
    assertEquals(Collections.singletonList(null), column(f.connect("bob"), config));
    assertEquals(List.of("statement_timeout=5s"), column(f.connect("alice"), config));
  }

  @Test void theOneDatabaseIsQuell() throws Exception {
    assertEquals(List.of(List.of("quell", "root", "UTF8", true)), rows(root,
        "SELECT datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datallowconn "
            + "FROM pg_database"));
  }

  @Test void settingsAreTheSessionsAndTheServersLimits() throws Exception {
    update(root, "SET statement_timeout = '2s'");
    assertEquals(List.of(List.of("max_index_keys", "32"),
            List.of("statement_timeout", "2s")),
        rows(root, "SELECT name, setting FROM pg_settings "
            + "WHERE name IN ('max_index_keys', 'statement_timeout') ORDER BY 1"));
  }

  @Test void informationSchemaColumnsInPostgresSpelling() throws Exception {
    assertEquals(List.of(
            List.of("quell", "tpch", "orders", "o_orderkey", 1, "NO", "bigint", "int8"),
            List.of("quell", "tpch", "orders", "o_orderstatus", 3, "NO", "character varying",
                "varchar"),
            List.of("quell", "tpch", "orders", "o_totalprice", 4, "NO", "double precision",
                "float8"),
            List.of("quell", "tpch", "orders", "o_orderdate", 5, "NO", "date", "date"),
            List.of("quell", "tpch", "orders", "o_shippriority", 8, "NO", "integer", "int4")),
        rows(root, "SELECT table_catalog, table_schema, table_name, column_name, "
            + "ordinal_position, is_nullable, data_type, udt_name "
            + "FROM information_schema.columns WHERE table_name = 'orders' "
            + "AND ordinal_position IN (1, 3, 4, 5, 8) ORDER BY ordinal_position"));
    assertEquals(List.of(List.of(64, 2, 0)), rows(root, "SELECT numeric_precision, "
        + "numeric_precision_radix, numeric_scale FROM information_schema.columns "
        + "WHERE column_name = 'o_orderkey'"));
  }

  @Test void informationSchemaTablesViewsAndSchemata() throws Exception {
    assertEquals(List.of(List.of("lineitem", "BASE TABLE", "NO"),
            List.of("v_nation", "VIEW", "NO")),
        rows(root, "SELECT table_name, table_type, is_insertable_into "
            + "FROM information_schema.tables WHERE table_schema = 'tpch' "
            + "AND table_name IN ('lineitem', 'v_nation') ORDER BY 1"));
    List<Object> view = column(root, "SELECT view_definition FROM information_schema.views "
        + "WHERE table_name = 'v_nation'");
    assertEquals(1, view.size());
    assertTrue(((String) view.get(0)).contains("nation"), view.toString());
    assertEquals(view, column(root, "SELECT pg_get_viewdef(regclass('v_nation'))"));
    assertEquals(view, column(root, "SELECT definition FROM pg_views "
        + "WHERE viewname = 'v_nation'"));
    assertEquals(List.of("information_schema", "pg_catalog", "quell_internal", "tpch"),
        column(root, "SELECT schema_name FROM information_schema.schemata "
            + "WHERE schema_name <> 'metadata' ORDER BY 1"));
  }

  @Test void visibilityFollowsTheCurrentSchema() throws Exception {
    assertEquals(List.of(List.of("lineitem", true), List.of("node_sessions", false),
            List.of("pg_type", true)),
        rows(root, "SELECT relname, pg_table_is_visible(oid) FROM pg_class "
            + "WHERE relname IN ('lineitem', 'node_sessions', 'pg_type') ORDER BY 1"));
    assertEquals(List.of(List.of("pg_catalog,tpch", "tpch")), rows(root,
        "SELECT array_to_string(current_schemas(true), ','), "
            + "array_to_string(current_schemas(false), ',')"));
  }

  /** How pgjdbc's TypeInfoCache walks the search path. */
  @Test void seriesWalkTheSearchPath() throws Exception {
    assertEquals(List.of(List.of(1, "pg_catalog"), List.of(2, "tpch")), rows(root,
        "SELECT s.r, (current_schemas(true))[s.r] FROM generate_series(1, "
            + "array_upper(current_schemas(true), 1)) AS s(r)"));
    assertEquals(List.of(5, 3, 1), column(root,
        "SELECT n FROM pg_catalog.generate_series(5, 1, -2) AS pos(n)"));
    assertEquals(List.of(0L), column(root, "SELECT COUNT(*) FROM generate_series(1, NULL)"));
    failsWith("22023", () -> rows(root, "SELECT * FROM generate_series(1, 3, 0)"));
    assertEquals(List.of(List.of(true, false)), rows(root, "SELECT "
        + "pg_relation_is_publishable(regclass('lineitem')), "
        + "pg_relation_is_publishable(regclass('v_nation'))"));
  }

  @Test void privilegesAreReadingEverythingAndWritingNothing() throws Exception {
    update(root, "CREATE USER alice");
    Connection alice = f.connect("alice");
    assertEquals(List.of(List.of(true, false, true, true, false)), rows(alice,
        "SELECT has_table_privilege('tpch.lineitem', 'select'), "
            + "has_table_privilege(current_user, '\"tpch\".\"lineitem\"', 'INSERT, DELETE'), "
            + "has_any_column_privilege('root', 'v_nation', 'select'), "
            + "has_schema_privilege('tpch', 'usage'), "
            + "has_schema_privilege('tpch', 'create')"));
    assertEquals(List.of(true), column(root, "SELECT has_schema_privilege('tpch', 'create')"));
    assertTrue(failsWith("42P01", () -> rows(alice,
        "SELECT has_table_privilege('nosuch', 'select')")).contains("relation \"nosuch\""));
    assertTrue(failsWith("22023", () -> rows(alice,
        "SELECT has_table_privilege('lineitem', 'fly')")).contains("privilege type: \"fly\""));
    assertTrue(failsWith("42704", () -> rows(alice,
        "SELECT has_table_privilege('mallory', 'lineitem', 'select')")).contains("mallory"));
    failsWith("42602", () -> rows(alice, "SELECT has_table_privilege('a..b', 'select')"));
    failsWith("3F000", () -> rows(alice, "SELECT has_schema_privilege('nosuch', 'usage')"));
  }

  @Test void namesAndOwners() throws Exception {
    assertEquals(List.of(List.of("abc", "\"Abc\"", "\"select\"", "\"a\"\"b\"", "root",
            "unknown (OID=42)")),
        rows(root, "SELECT quote_ident('abc'), quote_ident('Abc'), quote_ident('select'), "
            + "quote_ident('a\"b'), pg_get_userbyid(10), pg_get_userbyid(42)"));
    assertEquals(List.of(List.of(11, 1043)), rows(root,
        "SELECT to_regnamespace('pg_catalog'), to_regtype('character varying')"));
    assertEquals(List.of(List.of(23, 23)), rows(root,
        "SELECT to_regtype('int4'), regtype('pg_catalog.integer')"));
    assertEquals(Collections.singletonList(null), column(root, "SELECT to_regclass('nosuch')"));
    failsWith("42P01", () -> rows(root, "SELECT regclass('nosuch')"));
    failsWith("42704", () -> rows(root, "SELECT regtype('nosuch')"));
  }

  @Test void quellKeepsNoIndexesConstraintsDefaultsOrComments() throws Exception {
    for (String table : List.of("pg_index", "pg_constraint", "pg_attrdef", "pg_description",
        "pg_inherits", "pg_proc", "pg_enum", "information_schema.table_constraints")) {
      assertEquals(List.of(0L), column(root, "SELECT COUNT(*) FROM " + table), table);
    }
    Object lineitem = column(root, "SELECT regclass('lineitem')").get(0);
    assertEquals(List.of(Collections.nCopies(4, null)), rows(root,
        "SELECT obj_description(" + lineitem + ", 'pg_class'), col_description(" + lineitem
            + ", 1), pg_get_indexdef(" + lineitem + "), pg_get_constraintdef(1)"));
    assertEquals(List.of(0L), column(root, "SELECT pg_relation_size(" + lineitem + ")"));
    failsWith("0A000", () -> rows(root, "SELECT pg_get_expr('{CONST}', 1)"));
  }

  @Test void showTablesListsTheCurrentSchema() throws Exception {
    assertEquals(List.of(
            List.of("tpch", "customer", "table", "root", 1500L),
            List.of("tpch", "lineitem", "table", "root", 60012L),
            List.of("tpch", "nation", "table", "root", 25L),
            List.of("tpch", "orders", "table", "root", 15000L),
            List.of("tpch", "part", "table", "root", 2000L),
            List.of("tpch", "partsupp", "table", "root", 8000L),
            List.of("tpch", "region", "table", "root", 5L),
            List.of("tpch", "supplier", "table", "root", 100L),
            java.util.Arrays.asList("tpch", "v_nation", "view", "root", null)),
        rows(root, "SHOW TABLES"));
    assertEquals(rows(root, "SHOW TABLES"), rows(root, "SHOW TABLES FROM quell.tpch"));
    List<Object> internal = column(root, "SELECT table_name FROM information_schema.tables "
        + "WHERE table_schema = 'quell_internal' ORDER BY 1");
    assertEquals(internal, rows(root, "SHOW TABLES FROM quell_internal").stream()
        .map(r -> r.get(1)).toList());
    String message = failsWith("3F000", () -> rows(root, "SHOW TABLES FROM nosuch"));
    assertTrue(message.contains("schema \"nosuch\" does not exist"), message);
    assertNotEquals(List.of(), internal);
  }
}
