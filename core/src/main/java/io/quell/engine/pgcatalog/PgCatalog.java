package io.quell.engine.pgcatalog;

import io.quell.catalog.Principal;
import io.quell.catalog.RoleStore;
import io.quell.catalog.UserCatalog;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.CancelStatement;
import io.quell.session.SessionRegistry;

import org.apache.calcite.schema.SchemaPlus;

import java.util.List;

/**
 * PostgreSQL's view of one Quell node: the schemas {@code pg_catalog} and
 * {@code information_schema} that psql, pgjdbc's DatabaseMetaData, Metabase and Grafana read,
 * derived from the session's own schemas at every scan, and PostgreSQL's catalog and backend
 * functions. One instance per engine, added to every session's connection.
 */
public final class PgCatalog {
  private final UserCatalog users;
  private final SessionRegistry registry;
  private final CancelStatement cancelStatement;
  private final List<String> nodeSessions;
  private final PgCatalogSchema pgCatalog = new PgCatalogSchema(this);
  private final InformationSchema informationSchema = new InformationSchema();

  /**
   * The catalog of the node with {@code users}, {@code registry}, whose cancels go through
   * {@code cancelStatement}, and whose table of its own sessions, as SHOW SESSIONS filters and
   * redacts them for the reader, is {@code nodeSessions} (schema, table).
   */
  public PgCatalog(UserCatalog users, SessionRegistry registry, CancelStatement cancelStatement,
      List<String> nodeSessions) {
    this.users = users;
    this.registry = registry;
    this.cancelStatement = cancelStatement;
    this.nodeSessions = List.copyOf(nodeSessions);
  }

  /**
   * Adds both schemas to a session's {@code root}, and their tables and functions to the root
   * too, so that unqualified names find them as PostgreSQL's search path finds
   * {@code pg_catalog}'s: {@code pg_type}, {@code format_type(...)} as well as
   * {@code pg_catalog.pg_type}.
   */
  public void addTo(SchemaPlus root) {
    root.add(PgCatalogSchema.NAME, pgCatalog);
    root.add(InformationSchema.NAME, informationSchema);
    pgCatalog.tableMap().forEach(root::add);
    PgFunctions.all().forEach(root::add);
  }

  SessionRegistry registry() {
    return registry;
  }

  RoleStore roles() {
    return users.roles();
  }

  CancelStatement cancelStatement() {
    return cancelStatement;
  }

  /** The schema and name of the table of this node's sessions, as SHOW SESSIONS LOCAL reads. */
  List<String> nodeSessions() {
    return nodeSessions;
  }

  /** The privileges of {@code user}; 28000 if the role is gone. */
  Principal principal(String user) {
    return users.principals().principal(user).orElseThrow(() -> new QuellException(
        SqlState.INVALID_AUTHORIZATION, "role " + user + " does not exist"));
  }
}
