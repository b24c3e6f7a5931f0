package io.quell.engine;

import io.quell.parser.ActivityScope;
import io.quell.parser.SqlCancel;
import io.quell.parser.SqlCreateView;
import io.quell.parser.SqlShowActivity;
import io.quell.parser.SqlShowGrants;
import io.quell.parser.SqlShowQueries;
import io.quell.parser.SqlShowTables;
import io.quell.parser.SqlShowUsers;
import io.quell.parser.SqlShowVariable;
import io.quell.session.Session;
import io.quell.session.SessionStatus;
import io.quell.session.SessionVariable;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.stream.Collectors;

/**
 * Turns every SHOW into a query of the {@code quell_internal} system tables (SHOW TABLES: of
 * {@code pg_catalog}), wherever it stands
 * (top level, WITH, FROM, IN, a CANCEL's source, a view's query), so the validator and planner
 * treat it as any other table and it composes freely. Visibility and redaction are the tables'
 * business.
 */
public final class ShowRewriter extends SqlShuttle {
  private static final ShowRewriter INSTANCE = new ShowRewriter();

  private ShowRewriter() {
  }

  /** Rewrites a parsed statement; statements without SHOW come back unchanged. */
  public static SqlNode rewrite(SqlNode node) {
    boolean holdsQuery = node instanceof SqlCancel || node instanceof SqlCreateView;
    if (node instanceof SqlDdl && !holdsQuery || node instanceof SqlSetOption) {
      return node;
    }
    return node.accept(INSTANCE);
  }

  @Override public SqlNode visit(SqlCall call) {
    if (call instanceof SqlShowActivity show) {
      return activity(show);
    }
    if (call instanceof SqlShowUsers) {
      return parse("SELECT * FROM \"quell_internal\".\"users\"");
    }
    if (call instanceof SqlShowGrants grants) {
      String filter = grants.members() == null ? "" : " WHERE \"member\" IN ("
          + grants.members().stream().map(n -> literal(((SqlIdentifier) n).getSimple()))
              .collect(Collectors.joining(", ")) + ")";
      return parse("SELECT * FROM \"quell_internal\".\"grants\"" + filter);
    }
    if (call instanceof SqlShowVariable variable) {
      return variable(variable.name());
    }
    if (call instanceof SqlShowTables tables) {
      return tables(tables.schema());
    }
    return super.visit(call);
  }

  private static SqlNode activity(SqlShowActivity show) {
    boolean queries = show instanceof SqlShowQueries;
    String table = show.scope() == ActivityScope.LOCAL ? "node_" : "cluster_";
    String columns = (queries ? SystemSchema.QUERY_COLUMNS : SystemSchema.SESSION_COLUMNS)
        .stream().map(c -> '"' + c.name() + '"').collect(Collectors.joining(", "));
    // A prefix test by SUBSTRING, not LIKE: LIKE compiles to a static matcher field, and
    // Calcite does not cache generated code that has static fields, so every SHOW would pay
    // a Janino compile.
    String where = show.isAll() ? ""
        : " WHERE SUBSTRING(\"application_name\" FROM 1 FOR "
            + Session.INTERNAL_APPLICATION_PREFIX.length() + ") <> "
            + literal(Session.INTERNAL_APPLICATION_PREFIX)
            + (queries ? "" : " AND \"" + SystemSchema.STATUS + "\" <> "
                + literal(SessionStatus.CLOSED.name()));
    return parse("SELECT " + columns + " FROM \"quell_internal\".\"" + table
        + (queries ? "queries" : "sessions") + '"' + where);
  }

  private static SqlNode variable(SqlIdentifier name) {
    if (name == null) {
      return parse("SELECT \"variable\", \"value\" FROM \"quell_internal\".\"session_variables\"");
    }
    // The whole name, not getSimple, which only asserts on a dotted one: no variable has a dot.
    String key = SessionVariable.named(name.toString()).pgName();
    return parse("SELECT \"value\" AS \"" + key + "\" FROM \"quell_internal\".\"session_variables\""
        + " WHERE \"variable\" = " + literal(key));
  }

  /**
   * SHOW TABLES as CockroachDB shows them, from {@code pg_catalog}: the tables and views of the
   * current schema (those found by an unqualified name, less PostgreSQL's own catalog) or of
   * the schema named, which must exist (3F000); the owner, and the planner's estimate of the
   * rows (NULL if it has none).
   */
  private static SqlNode tables(SqlIdentifier schema) {
    String where = schema == null
        ? "n.\"nspname\" <> 'pg_catalog' AND \"pg_catalog\".\"pg_table_is_visible\"(c.\"oid\")"
        : "n.\"oid\" = \"pg_catalog\".\"regnamespace\"(" + literal(schema.names.stream()
            .map(name -> '"' + name.replace("\"", "\"\"") + '"')
            .collect(Collectors.joining("."))) + ")";
    return parse("SELECT n.\"nspname\" AS \"schema_name\", c.\"relname\" AS \"table_name\", "
        // as VARCHAR, which Calcite would otherwise pad to the longer literal's length
        + "CASE c.\"relkind\" WHEN 'v' THEN CAST('view' AS VARCHAR) "
        + "ELSE CAST('table' AS VARCHAR) END AS \"type\", "
        + "\"pg_catalog\".\"pg_get_userbyid\"(c.\"relowner\") AS \"owner\", "
        + "CASE WHEN c.\"reltuples\" < 0 THEN NULL ELSE CAST(c.\"reltuples\" AS BIGINT) END "
        + "AS \"estimated_row_count\" "
        + "FROM \"pg_catalog\".\"pg_class\" AS c "
        + "JOIN \"pg_catalog\".\"pg_namespace\" AS n ON n.\"oid\" = c.\"relnamespace\" "
        + "WHERE " + where + " ORDER BY 1, 2");
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** Parses generated standard SQL with Calcite's stock grammar (no recursion into ours). */
  private static SqlNode parse(String sql) {
    try {
      return SqlParser.create(sql, SqlParser.config().withCaseSensitive(false)).parseQuery();
    } catch (SqlParseException e) {
      throw new IllegalStateException("generated SQL does not parse: " + sql, e);
    }
  }

}
