package io.quell.engine.pgcatalog;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineFixture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The catalog queries real PostgreSQL clients send ({@code src/test/resources/pg-clients/}),
 * exactly as they sent them, run on an embedded node holding TPC-H's tables as schema
 * {@code tpch} and a view {@code v_nation}: what psql's {@code \dt} and {@code \d}, pgjdbc's
 * DatabaseMetaData, Grafana's query editor and Metabase's sync show a user. psql's OIDs are
 * those its earlier query returned, so Quell's replace PostgreSQL's (16385, 16393) in the text.
 */
class PgClientQueriesTest {
  /** The OIDs psql's and pgjdbc's captured queries carry: PostgreSQL's lineitem and v_nation. */
  private static final int PG_LINEITEM = 16385;
  private static final int PG_V_NATION = 16393;
  private static final List<String> TPCH = List.of("customer", "lineitem", "nation", "orders",
      "part", "partsupp", "region", "supplier");

  @TempDir Path dir;
  EngineFixture f;
  Connection root;
  int lineitem;
  int vNation;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root");
    update(root, "CREATE VIEW v_nation AS SELECT n_name FROM nation");
    lineitem = (Integer) column(root, "SELECT regclass('tpch.lineitem')").get(0);
    vNation = (Integer) column(root, "SELECT regclass('tpch.v_nation')").get(0);
  }

  @AfterEach void stop() {
    f.close();
  }

  /** The results of every statement of {@code file}, in order. */
  private List<List<List<Object>>> run(String file) throws Exception {
    List<List<List<Object>>> results = new ArrayList<>();
    for (PgClientQueries.Query query : PgClientQueries.load(file).queries()) {
      results.add(run(query));
    }
    return results;
  }

  /** The result of statement {@code index} of {@code file}. */
  private List<List<Object>> run(String file, int index) throws Exception {
    return run(PgClientQueries.load(file).queries().get(index));
  }

  /** The rows of one statement, its parameters bound as the types the statement expects. */
  private List<List<Object>> run(PgClientQueries.Query query) throws SQLException {
    PgClientQueries.Query q = query.withOid(PG_LINEITEM, lineitem).withOid(PG_V_NATION, vNation);
    try (PreparedStatement s = root.prepareStatement(q.jdbcSql())) {
      ParameterMetaData parameters = s.getParameterMetaData();
      for (int i = 1; i <= q.parameters().size(); i++) {
        String value = q.parameters().get(i - 1);
        int type = parameters.getParameterType(i);
        if (value == null) {
          s.setNull(i, type);
        } else if (type == Types.INTEGER) {
          s.setInt(i, Integer.parseInt(value));
        } else if (type == Types.BOOLEAN) {
          s.setBoolean(i, value.equals("t"));
        } else {
          s.setString(i, value);
        }
      }
      try (ResultSet rs = s.executeQuery()) {
        List<List<Object>> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static List<List<Object>> tables(String type, List<String> names) {
    return names.stream().map(name -> row("tpch", name, type, "root")).toList();
  }

  // ---------------------------------------------------------------------------------------
  // psql

  @Test void psqlListsTablesWithDt() throws Exception {
    assertEquals(List.of(tables("table", TPCH)), run("psql-dt.sql"));
  }

  @Test void psqlListsTablesOfASchemaWithDtPattern() throws Exception {
    assertEquals(List.of(tables("table", TPCH)), run("psql-dt-tpch-pattern.sql"));
  }

  @Test void psqlListsRelationsWithD() throws Exception {
    List<List<Object>> expected = new ArrayList<>(tables("table", TPCH));
    expected.add(row("tpch", "v_nation", "view", "root"));
    assertEquals(List.of(expected), run("psql-d.sql"));
  }

  @Test void psqlListsViewsWithDv() throws Exception {
    assertEquals(List.of(List.of(row("tpch", "v_nation", "view", "root"))), run("psql-dv.sql"));
  }

  @Test void psqlListsSchemasWithDn() throws Exception {
    assertEquals(List.of(List.of(row("metadata", "root"), row("quell_internal", "root"),
        row("tpch", "root"))), run("psql-dn.sql"));
  }

  @Test void psqlListsTheDatabaseWithL() throws Exception {
    assertEquals(List.of(List.of(row("quell", "root", "UTF8", "C", "C", null, "libc", null))),
        run("psql-l.sql"));
  }

  @Test void psqlListsRolesWithDu() throws Exception {
    List<List<Object>> roles = run("psql-du.sql").get(0);
    assertEquals(List.of("admin", "root"), roles.stream().map(r -> r.get(0)).toList());
    assertTrue(roles.stream().allMatch(r -> r.get(1).equals(true)), roles.toString());
  }

  @Test void psqlFindsNoTypesOrFunctionsOutsideItsCatalog() throws Exception {
    assertEquals(List.of(List.of()), run("psql-dT.sql"));
    assertEquals(List.of(List.of()), run("psql-df.sql"));
  }

  /** {@code \d lineitem}'s query of the columns, which PostgreSQL's grammar is not needed for. */
  @Test void psqlDescribesTheColumnsOfLineitem() throws Exception {
    List<List<Object>> columns = run("psql-d-lineitem.sql", 2);
    assertEquals(16, columns.size());
    assertEquals(row("l_orderkey", "bigint", null, true, null, "", ""), columns.get(0));
    assertEquals(row("l_linenumber", "integer", null, true, null, "", ""), columns.get(3));
    assertEquals(row("l_quantity", "double precision", null, true, null, "", ""),
        columns.get(4));
    assertEquals(row("l_returnflag", "character varying", null, true, null, "", ""),
        columns.get(8));
    assertEquals(row("l_shipdate", "date", null, true, null, "", ""), columns.get(10));
    assertEquals(List.of(row("n_name", "character varying", null, false, null, "", "")),
        run("psql-d-tpch-v_nation.sql", 2));
  }

  @Test void psqlDescribesLineitemWithD() throws Exception {
    for (String file : List.of("psql-d-lineitem.sql", "psql-d-plus-lineitem.sql")) {
      List<List<List<Object>>> results = run(file);
      assertEquals(List.of(row(lineitem, "tpch", "lineitem")), results.get(0), file);
      List<Object> table = results.get(1).get(0);
      assertEquals(List.of((short) 0, "r", false, false, false, false, false, false, false),
          table.subList(0, 9), file);
      assertEquals(List.of("p", "d", "heap"), table.subList(12, 15), file);
      assertEquals(16, results.get(2).size(), file);
      for (int i = 3; i < results.size(); i++) {
        assertEquals(List.of(), results.get(i), file + ": no policies, statistics, "
            + "publications or partitions");
      }
    }
    List<List<List<Object>>> view = run("psql-d-tpch-v_nation.sql");
    assertEquals(List.of(row(vNation, "tpch", "v_nation")), view.get(0));
    assertEquals("v", view.get(1).get(0).get(1));
  }

  // ---------------------------------------------------------------------------------------
  // pgjdbc's DatabaseMetaData and TypeInfoCache

  @Test void pgjdbcGetCatalogs() throws Exception {
    assertEquals(List.of(List.of(row("quell"))), run("pgjdbc-getCatalogs.sql"));
  }

  @Test void pgjdbcGetColumns() throws Exception {
    List<List<Object>> columns = run("pgjdbc-getColumns.sql").get(0);
    assertEquals(16, columns.size());
    // nspname, relname, attname, atttypid, attnotnull, atttypmod, attlen, typtypmod, attnum,
    // attidentity, attgenerated, adsrc, description, typbasetype, typtype
    assertEquals(row("tpch", "lineitem", "l_orderkey", 20, true, -1, (short) 8, -1, 1L, null,
        null, null, null, 0, "b"), columns.get(0));
    assertEquals(row("tpch", "lineitem", "l_comment", 1043, true, -1, (short) -1, -1, 16L,
        null, null, null, null, 0, "b"), columns.get(15));
  }

  @Test void pgjdbcGetSchemas() throws Exception {
    assertEquals(List.of(List.of(row("information_schema", null), row("metadata", null),
        row("pg_catalog", null), row("quell_internal", null), row("tpch", null))),
        run("pgjdbc-getSchemas.sql"));
    assertEquals(List.of(List.of(row("tpch", null))), run("pgjdbc-getSchemas-pattern.sql"));
  }

  @Test void pgjdbcGetTables() throws Exception {
    List<List<Object>> tables = run("pgjdbc-getTables.sql").get(0);
    List<Object> expected = new ArrayList<>();
    TPCH.forEach(name -> expected.add(row(null, "tpch", name, "TABLE", null)));
    expected.add(row(null, "tpch", "v_nation", "VIEW", null));
    assertEquals(expected, tables.stream().map(r -> r.subList(0, 5)).toList());
    List<List<Object>> all = run("pgjdbc-getTables-all.sql").get(0);
    assertTrue(all.contains(row(null, "pg_catalog", "pg_class", "SYSTEM TABLE", null, "", "",
        "", "", "")), all.toString());
  }

  @Test void pgjdbcFindsNoKeysOrIndexes() throws Exception {
    assertEquals(List.of(List.of()), run("pgjdbc-getPrimaryKeys.sql"));
    assertEquals(List.of(List.of(row("32")), List.of()), run("pgjdbc-getImportedKeys.sql"));
    assertEquals(List.of(List.of()), run("pgjdbc-getIndexInfo.sql"));
  }

  @Test void pgjdbcTypeInfoCache() throws Exception {
    List<List<List<Object>>> results = run("pgjdbc-TypeInfoCache.sql");
    assertEquals(List.of(row(false, "b", "regclass", 2205)), results.get(0));
    assertEquals(List.of(row(true, "pg_catalog", "regclass")), results.get(1));
    assertTrue(run("pgjdbc-getTypeInfo.sql").get(0).contains(row("int4", 23)));
    assertEquals(List.of(List.of()), run("pgjdbc-getFunctions.sql"));
  }

  @Test void pgjdbcResultSetMetaData() throws Exception {
    // the client asks by the attnums of its own table: 1 and 7 are l_orderkey and l_discount;
    // its auto-increment test is NULL, as on PostgreSQL (no default: false OR NULL), which
    // pgjdbc reads as false
    assertEquals(List.of(List.of(row(lineitem, (short) 1, "l_orderkey", "lineitem", "tpch",
            true, null), row(lineitem, (short) 7, "l_discount", "lineitem", "tpch", true,
            null))), run("pgjdbc-resultSetMetaData.sql"));
  }

  // ---------------------------------------------------------------------------------------
  // Grafana and Metabase

  @Test void grafanaListsSchemasAndTheTablesOfOne() throws Exception {
    assertEquals(List.of(row("metadata"), row("quell_internal"), row("tpch")),
        run("grafana-query-editor.sql", 1));
    List<List<Object>> expected = new ArrayList<>();
    TPCH.forEach(name -> expected.add(row(name)));
    expected.add(row("v_nation"));
    assertEquals(expected, run("grafana-query-editor.sql", 2));
  }

  @Test void grafanaFindsTheServerVersionAndTheColumnsOnTheSearchPath() throws Exception {
    List<List<List<Object>>> results = run("grafana-query-editor.sql");
    assertEquals(List.of(row(1300)), results.get(0));
    assertTrue(results.get(3).contains(row("lineitem")), results.get(3).toString());
    assertEquals(row("l_orderkey", "bigint"), results.get(4).get(0));
    assertEquals(16, results.get(4).size());
  }

  @Test void metabaseFindsNoEnumTypes() throws Exception {
    assertEquals(List.of(), run("metabase-sync.sql", 4));
  }

  @Test void metabaseSyncsTheTablesAndFieldsOfTpch() throws Exception {
    List<List<List<Object>>> results = run("metabase-sync.sql");
    assertEquals(1, results.get(0).size());
    assertTrue(results.get(1).contains(row(null, "tpch", "lineitem", false, true, false,
        false)), results.get(1).toString());
    List<List<Object>> tables = results.get(3);
    assertEquals(row("tpch", "lineitem", "TABLE", null, 60012L), tables.get(1));
    assertEquals(row("tpch", "v_nation", "VIEW", null, null), tables.get(tables.size() - 1));
    List<List<Object>> fields = results.get(5);
    assertEquals(16, fields.size());
    assertEquals(row("l_orderkey", "int8", 0, "tpch", "lineitem", false, null, true, false),
        fields.get(0));
    assertEquals(Collections.emptyList(), results.get(6));
  }
}
