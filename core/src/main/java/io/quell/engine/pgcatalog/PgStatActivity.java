package io.quell.engine.pgcatalog;

import io.quell.session.Session;
import io.quell.session.SessionStatus;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.SchemaPlus;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code pg_stat_activity}: this node's open sessions, one row per PostgreSQL backend, read from
 * the very table SHOW SESSIONS LOCAL reads, so that a user sees exactly the sessions and query
 * texts SHOW SESSIONS shows them: their own unless VIEWACTIVITY, others' constants hidden
 * under VIEWACTIVITYREDACTED. Internal sessions are left out as SHOW SESSIONS leaves them out.
 * An idle session's {@code query} is its last one, as in PostgreSQL.
 */
final class PgStatActivity {
  private PgStatActivity() {
  }

  static void add(CatalogSnapshot s, CatalogTable.Rows rows) {
    DataContext root = rows.root();
    List<String> path = s.catalog().nodeSessions();
    SchemaPlus schema = Objects.requireNonNull(root.getRootSchema())
        .subSchemas().get(path.get(0));
    ScannableTable sessions = (ScannableTable) schema.tables().get(path.get(1));
    RelDataType rowType = sessions.getRowType(s.typeFactory());
    try (Enumerator<Object[]> scan = sessions.scan(root).enumerator()) {
      while (scan.moveNext()) {
        Row session = new Row(rowType, scan.current());
        String status = (String) session.get("status");
        String application = (String) session.get("application_name");
        if (status.equals(SessionStatus.CLOSED.name())
            || application.startsWith(Session.INTERNAL_APPLICATION_PREFIX)) {
          continue;
        }
        boolean active = status.equals(SessionStatus.ACTIVE.name());
        String user = (String) session.get("user_name");
        String address = (String) session.get("client_address");
        Object queryStart = session.get("active_query_start");
        rows.add().set("datid", Oids.DATABASE).set("datname", CatalogSnapshot.DATABASE)
            .set("pid", session.get("pid")).set("leader_pid", null)
            .set("usesysid", s.role(user).map(CatalogSnapshot.Role::oid).orElse(null))
            .set("usename", user).set("application_name", application)
            .set("client_addr", host(address)).set("client_port", port(address))
            .set("backend_start", session.get("session_start"))
            .set("xact_start", queryStart).set("query_start", queryStart)
            .set("state_change", queryStart)
            .set("state", status.toLowerCase(Locale.ROOT))
            .set("backend_xid", null).set("backend_xmin", null)
            .set("query", session.get(active ? "active_queries" : "last_active_query"))
            .set("backend_type", "client backend")
            .set("session_id", session.get("session_id"));
      }
    }
  }

  /**
   * The host of a client address {@code host:port} or {@code [v6]:port}; null for a client
   * with no network address (an embedded one), as PostgreSQL's for a Unix socket.
   */
  private static String host(String address) {
    int colon = portSeparator(address);
    if (colon < 0) {
      return null;
    }
    String host = address.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
  }

  /** The port of a client address; -1 without one, as PostgreSQL's for a Unix socket. */
  private static int port(String address) {
    int colon = portSeparator(address);
    return colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
  }

  private static int portSeparator(String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    return colon > 0 && colon < address.length() - 1
        && address.substring(colon + 1).chars().allMatch(Character::isDigit)
        && address.length() - colon <= 6 ? colon : -1;
  }

  /** A row of the sessions table, read by column name. */
  private record Row(RelDataType rowType, Object[] values) {
    Object get(String column) {
      return values[Objects.requireNonNull(rowType.getField(column, true, false),
          column).getIndex()];
    }
  }
}
