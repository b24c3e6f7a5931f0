package io.quell.engine;

import static io.quell.engine.SystemTable.Column.nullable;
import static io.quell.engine.SystemTable.Column.of;
import static org.apache.calcite.sql.type.SqlTypeName.BIGINT;
import static org.apache.calcite.sql.type.SqlTypeName.BOOLEAN;
import static org.apache.calcite.sql.type.SqlTypeName.DOUBLE;
import static org.apache.calcite.sql.type.SqlTypeName.INTEGER;
import static org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP;
import static org.apache.calcite.sql.type.SqlTypeName.VARCHAR;

import io.quell.activity.Viewer;
import io.quell.admission.AdmissionStatus;
import io.quell.catalog.Principal;
import io.quell.catalog.Privilege;
import io.quell.catalog.RoleInfo;
import io.quell.catalog.RoleStore;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.ActivityPolicy;
import io.quell.execution.HeapGuard;
import io.quell.execution.plan.PlanCache;
import io.quell.memory.MemoryPool;
import io.quell.parser.text.SqlRedaction;
import io.quell.session.ClosedSession;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionStatus;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;

import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Schema {@code quell_internal}: live views of this engine's sessions, queries, users, grants,
 * session variables, the cancellation audit, the plan cache and the statement statistics, each
 * filtered for the session that reads it, and the function that resets the statistics.
 * One instance per engine, shared by every connection.
 */
public final class SystemSchema extends AbstractSchema {
  public static final String NAME = "quell_internal";
  /** The node tables, which cluster members read from each other. */
  public static final String NODE_SESSIONS = "node_sessions";
  public static final String NODE_QUERIES = "node_queries";
  private static final String NODE_ID = "node_id";
  /** The status column of the session tables, which SHOW SESSIONS filters by. */
  static final String STATUS = "status";

  static final List<SystemTable.Column> SESSION_COLUMNS = List.of(
      of(NODE_ID, INTEGER), of("session_id", VARCHAR), of(STATUS, VARCHAR),
      of("user_name", VARCHAR), of("client_address", VARCHAR), of("application_name", VARCHAR),
      of("active_queries", VARCHAR), of("last_active_query", VARCHAR),
      of("num_txns_executed", INTEGER), of("session_start", TIMESTAMP),
      nullable("active_query_start", TIMESTAMP), of("alloc_bytes", BIGINT),
      of("max_alloc_bytes", BIGINT), of("active_query_tags", VARCHAR),
      nullable("session_end", TIMESTAMP), nullable("end_cause", VARCHAR), of("pid", INTEGER));

  static final List<SystemTable.Column> QUERY_COLUMNS = List.of(
      of("query_id", VARCHAR), of(NODE_ID, INTEGER), of("session_id", VARCHAR),
      of("user_name", VARCHAR), of("start", TIMESTAMP), of("query", VARCHAR),
      of("client_address", VARCHAR), of("application_name", VARCHAR),
      of("distributed", BOOLEAN), of("phase", VARCHAR), of("query_tags", VARCHAR),
      of("alloc_bytes", BIGINT), of("max_alloc_bytes", BIGINT));

  public static final String NODE_MEMORY = "node_memory";
  static final List<SystemTable.Column> MEMORY_COLUMNS = List.of(of(NODE_ID, INTEGER),
      of("pool_limit_bytes", BIGINT), of("pool_used_bytes", BIGINT),
      of("pool_peak_bytes", BIGINT), of("heap_used_bytes", BIGINT),
      of("heap_max_bytes", BIGINT), nullable("old_gen_after_gc_bytes", BIGINT),
      of("heap_guard_threshold", DOUBLE), of("queries_stopped_by_limit", BIGINT),
      of("queries_stopped_by_guard", BIGINT));

  public static final String NODE_ADMISSION = "node_admission";
  static final List<SystemTable.Column> ADMISSION_COLUMNS = List.of(of(NODE_ID, INTEGER),
      of("max_running_queries", INTEGER), of("max_queued_queries", INTEGER),
      of("running_queries", INTEGER), of("queued_queries", INTEGER), of("admitted", BIGINT),
      of("rejected", BIGINT), of("oldest_queued_ms", BIGINT), of("longest_wait_ms", BIGINT),
      of("held_for_memory", BOOLEAN));

  public static final String STATEMENT_STATISTICS = "statement_statistics";
  static final List<SystemTable.Column> STATEMENT_STATISTICS_COLUMNS = List.of(
      of(NODE_ID, INTEGER), of("fingerprint", VARCHAR), of("query", VARCHAR),
      of("user_name", VARCHAR), of("calls", BIGINT), of("rows", BIGINT), of("errors", BIGINT),
      of("canceled", BIGINT), of("total_ms", DOUBLE), of("mean_ms", DOUBLE),
      of("max_ms", DOUBLE), of("p99_ms", DOUBLE), of("first_seen", TIMESTAMP),
      of("last_seen", TIMESTAMP));

  private final QuellEngine engine;
  private final Map<String, Table> tables;

  SystemSchema(QuellEngine engine) {
    this.engine = engine;
    this.tables = ImmutableMap.<String, Table>builder()
        .put(NODE_SESSIONS, new SystemTable(engine, SESSION_COLUMNS,
            c -> sessionRows(c.principal())))
        .put("cluster_sessions", new SystemTable(engine, SESSION_COLUMNS,
            c -> everyMember(c.principal(), NODE_SESSIONS)))
        .put(NODE_QUERIES, new SystemTable(engine, QUERY_COLUMNS, c -> queryRows(c.principal())))
        .put("cluster_queries", new SystemTable(engine, QUERY_COLUMNS,
            c -> everyMember(c.principal(), NODE_QUERIES)))
        .put("session_variables", new SystemTable(engine,
            List.of(of("variable", VARCHAR), of("value", VARCHAR)), SystemSchema::variableRows))
        .put("users", new SystemTable(engine, List.of(of("username", VARCHAR),
            of("options", VARCHAR), of("member_of", VARCHAR)), SystemSchema::userRows))
        .put("grants", new SystemTable(engine, List.of(of("role_name", VARCHAR),
            of("member", VARCHAR), of("is_admin", BOOLEAN)), SystemSchema::grantRows))
        .put("cluster_members", new SystemTable(engine, List.of(of("kind", VARCHAR),
            nullable(NODE_ID, INTEGER), nullable("address", VARCHAR), of("is_self", BOOLEAN),
            of("state", VARCHAR), nullable("since", TIMESTAMP), nullable("last_error", VARCHAR),
            nullable("last_error_time", TIMESTAMP)), this::memberRows))
        .put("cancellations", new SystemTable(engine, List.of(of("time", TIMESTAMP),
            of("canceled_by", VARCHAR), of("target", VARCHAR), of("target_id", VARCHAR),
            of("target_user", VARCHAR), of("cause", VARCHAR), nullable("statement", VARCHAR),
            nullable("message", VARCHAR)),
            SystemSchema::cancellationRows))
        .put("role_settings", new SystemTable(engine, List.of(of("role_name", VARCHAR),
            of("variable", VARCHAR), of("setting", VARCHAR)), SystemSchema::roleSettingRows))
        .put(NODE_MEMORY, new SystemTable(engine, MEMORY_COLUMNS, c -> memoryRows(c.principal())))
        .put("cluster_memory", new SystemTable(engine, MEMORY_COLUMNS,
            c -> everyMember(c.principal(), NODE_MEMORY)))
        .put(NODE_ADMISSION, new SystemTable(engine, ADMISSION_COLUMNS,
            c -> admissionRows(c.principal())))
        .put("cluster_admission", new SystemTable(engine, ADMISSION_COLUMNS,
            c -> everyMember(c.principal(), NODE_ADMISSION)))
        .put(STATEMENT_STATISTICS, new SystemTable(engine, STATEMENT_STATISTICS_COLUMNS,
            c -> statementStatisticsRows(c.principal())))
        .put("cluster_" + STATEMENT_STATISTICS, new SystemTable(engine,
            STATEMENT_STATISTICS_COLUMNS, c -> everyMember(c.principal(), STATEMENT_STATISTICS)))
        .put("plan_cache", new SystemTable(engine, List.of(of("entries", BIGINT),
            of("hits", BIGINT), of("misses", BIGINT), of("evictions", BIGINT),
            of("bytes_estimate", BIGINT)), SystemSchema::planCacheRows))
        .build();
  }

  QuellEngine engine() {
    return engine;
  }

  @Override protected Map<String, Table> getTableMap() {
    return tables;
  }

  @Override protected Multimap<String, Function> getFunctionMultimap() {
    return ImmutableMultimap.of(StatementStatisticsReset.NAME,
        ScalarFunctionImpl.create(StatementStatisticsReset.class, "reset"));
  }

  /**
   * The statement statistics of this node, under the rule of SHOW QUERIES: a reader's own
   * statements, everyone's with VIEWACTIVITY or VIEWACTIVITYREDACTED, the example text of
   * others' without constants for the latter. The fingerprint has no constants to hide.
   */
  private List<Object[]> statementStatisticsRows(Principal principal) {
    int nodeId = (int) engine.registry().nodeId();
    return engine.statementStatistics().snapshot().stream()
        .filter(s -> ActivityPolicy.canSee(principal, s.user()))
        .map(s -> new Object[] {nodeId, s.fingerprint(), text(principal, s.user(), s.query()),
            s.user(), s.calls(), s.rows(), s.errors(), s.canceled(), s.totalMillis(),
            s.meanMillis(), s.maxMillis(), s.p99Millis(), s.firstSeenMillis(),
            s.lastSeenMillis()})
        .toList();
  }

  /** Open sessions, then those that ended within the retention: one visibility rule for both. */
  private List<Object[]> sessionRows(Principal principal) {
    List<Object[]> rows = new ArrayList<>();
    for (Session s : engine.registry().sessions()) {
      if (ActivityPolicy.canSee(principal, s.user())) {
        RunningQuery active = s.activeQuery();
        rows.add(new Object[] {
            (int) s.nodeId(), s.id().toString(), s.status().name(), s.user(),
            s.clientAddress(), s.variables().applicationName(),
            active == null ? "" : text(principal, s.user(), active.sql()),
            text(principal, s.user(), s.lastQuery()),
            (int) s.statementCount(), millis(s.start()),
            active == null ? null : millis(active.start()), s.allocBytes(), s.maxAllocBytes(),
            active == null ? "" : active.tags(), null, null, s.pid()});
      }
    }
    for (ClosedSession s : engine.registry().closedSessions()) {
      if (ActivityPolicy.canSee(principal, s.user())) {
        rows.add(new Object[] {
            (int) s.id().nodeId(), s.id().toString(), SessionStatus.CLOSED.name(), s.user(),
            s.clientAddress(), s.applicationName(), "", text(principal, s.user(), s.lastQuery()),
            (int) s.statementCount(), s.startMillis(), null, 0L, s.maxAllocBytes(), "",
            s.endMillis(), s.cause().endCause(), s.pid()});
      }
    }
    return rows;
  }

  private List<Object[]> queryRows(Principal principal) {
    List<Object[]> rows = new ArrayList<>();
    for (RunningQuery q : engine.registry().queries()) {
      Session s = q.session();
      if (ActivityPolicy.canSee(principal, s.user())) {
        rows.add(new Object[] {
            q.id().toString(), (int) s.nodeId(), s.id().toString(), s.user(), millis(q.start()),
            text(principal, s.user(), q.sql()), s.clientAddress(),
            s.variables().applicationName(), false, q.phase().label(), q.tags(),
            q.memory().held(), q.memory().peak()});
      }
    }
    return rows;
  }

  /**
   * The members as this node sees them, and ZooKeeper; a single node is a cluster of one,
   * unadvertised.
   */
  private List<Object[]> memberRows(Caller caller) {
    ActivityPolicy.checkViewActivity(caller.principal(), "read the cluster members");
    if (engine.peers().isEmpty()) {
      return List.<Object[]>of(new Object[] {"node", (int) engine.registry().nodeId(), null, true,
          engine.drain().draining() ? "draining" : "up", null, null, null});
    }
    return engine.peers().get().members().stream().map(m -> new Object[] {
        m.kind().name().toLowerCase(Locale.ROOT),
        m.nodeId() == null ? null : m.nodeId().intValue(), m.address(), m.self(), m.state(),
        m.since() == null ? null : millis(m.since()),
        m.lastFailure() == null ? null : m.lastFailure().problem(),
        m.lastFailure() == null ? null : millis(m.lastFailure().time())}).toList();
  }

  private static String text(Principal caller, String owner, String sql) {
    return ActivityPolicy.mustRedact(caller, owner) ? SqlRedaction.hideConstants(sql) : sql;
  }

  private static List<Object[]> variableRows(Caller caller) {
    List<Object[]> rows = new ArrayList<>();
    caller.session().variables().all().forEach((k, v) -> rows.add(new Object[] {k, v}));
    return rows;
  }

  private static List<Object[]> userRows(Caller caller) {
    return caller.engine().catalog().roles().list().stream()
        .map(r -> new Object[] {r.name(), options(r), String.join(", ", r.memberOf())})
        .toList();
  }

  /** SHOW USERS' options: the privileges by name, then the limits the role has. */
  private static String options(RoleInfo role) {
    Stream<String> privileges = role.privileges().stream().map(Enum::name).sorted();
    return Stream.of(privileges, limit("CONNECTION LIMIT", role.connectionLimit()),
        limit("QUERY LIMIT", role.queryLimit())).flatMap(s -> s)
        .collect(Collectors.joining(", "));
  }

  private static Stream<String> limit(String option, int limit) {
    return limit == Principal.UNLIMITED ? Stream.empty() : Stream.of(option + " " + limit);
  }

  private static List<Object[]> grantRows(Caller caller) {
    return caller.engine().catalog().roles().memberships().stream()
        .map(m -> new Object[] {m.role(), m.member(), m.role().equals(RoleStore.ADMIN)})
        .toList();
  }

  private static List<Object[]> cancellationRows(Caller caller) {
    ActivityPolicy.checkAdmin(caller.principal(), "read the cancellation audit");
    return caller.engine().catalog().audit().list().stream()
        .map(r -> new Object[] {millis(r.time()), r.canceller(), r.targetKind().name(),
            r.targetId(), r.targetUser(), r.cause().name(), r.statement(), r.message()})
        .toList();
  }

  /** ALTER ROLE ... SET defaults: an admin's view has every role's, anyone's their own. */
  private static List<Object[]> roleSettingRows(Caller caller) {
    Principal principal = caller.principal();
    return caller.engine().catalog().roles().settings().stream()
        .filter(s -> principal.isAdmin() || s.role().equals(principal.name()))
        .map(s -> new Object[] {s.role(), s.variable(), s.value()})
        .toList();
  }

  /** The node's memory: its SQL pool, the heap, and the queries stopped to protect it. */
  private List<Object[]> memoryRows(Principal principal) {
    ActivityPolicy.checkAdmin(principal, "read the node's memory");
    MemoryPool pool = engine.memory();
    Runtime runtime = Runtime.getRuntime();
    Long oldGen = engine.heapGuard().map(HeapGuard::oldGenerationAfterGc)
        .filter(bytes -> bytes >= 0).orElse(null);
    return List.<Object[]>of(new Object[] {(int) engine.registry().nodeId(), pool.limit(),
        pool.used(), pool.peak(), runtime.totalMemory() - runtime.freeMemory(),
        runtime.maxMemory(), oldGen, engine.config().heapGuardThreshold(),
        pool.stoppedByLimit(), pool.stoppedByGuard()});
  }

  private List<Object[]> admissionRows(Principal principal) {
    ActivityPolicy.checkAdmin(principal, "read the node's admission control");
    AdmissionStatus a = engine.admission().status();
    return List.<Object[]>of(new Object[] {(int) engine.registry().nodeId(), a.maxRunning(),
        a.maxQueued(), a.running(), a.queued(), a.admitted(), a.rejected(),
        a.oldestWaitMillis(), a.maxWaitMillis(), a.heldForMemory()});
  }

  /**
   * This node's rows of node table {@code nodeTable} that {@code principal} may see, and every
   * peer's, which each member filters and redacts by the same rule ({@link #nodeRows}). This
   * node's rows come first, so that a reader without the privilege fails before any peer is
   * asked.
   */
  private List<Object[]> everyMember(Principal principal, String nodeTable) {
    List<Object[]> rows = new ArrayList<>(localRows(nodeTable, principal));
    engine.peers().ifPresent(peers -> rows.addAll(peers.rows(nodeTable, viewer(principal))));
    return rows;
  }

  /** What a peer's reader with {@code viewer}'s privileges may see of this node. */
  List<Object[]> nodeRows(String table, Viewer viewer) {
    EnumSet<Privilege> privileges = EnumSet.noneOf(Privilege.class);
    if (viewer.viewActivity()) {
      privileges.add(Privilege.VIEWACTIVITY);
    }
    if (viewer.viewActivityRedacted()) {
      privileges.add(Privilege.VIEWACTIVITYREDACTED);
    }
    // The limits decide nothing here: no row depends on them.
    return localRows(table, new Principal(viewer.name(), viewer.admin(), privileges,
        Principal.UNLIMITED, Principal.UNLIMITED));
  }

  /** The privileges of {@code principal} that decide what it sees of the node tables. */
  private static Viewer viewer(Principal principal) {
    return new Viewer(principal.name(), principal.isAdmin(),
        principal.has(Privilege.VIEWACTIVITY), principal.has(Privilege.VIEWACTIVITYREDACTED));
  }

  private List<Object[]> localRows(String nodeTable, Principal principal) {
    return switch (nodeTable) {
      case NODE_SESSIONS -> sessionRows(principal);
      case NODE_QUERIES -> queryRows(principal);
      case NODE_MEMORY -> memoryRows(principal);
      case NODE_ADMISSION -> admissionRows(principal);
      case STATEMENT_STATISTICS -> statementStatisticsRows(principal);
      default -> throw new QuellException(SqlState.UNDEFINED_TABLE,
          "relation \"" + NAME + "." + nodeTable + "\" is no node table");
    };
  }

  /** The column types of node table {@code nodeTable}, in order, for its rows from a peer. */
  public static List<SqlTypeName> nodeColumnTypes(String nodeTable) {
    List<SystemTable.Column> columns = switch (nodeTable) {
      case NODE_SESSIONS -> SESSION_COLUMNS;
      case NODE_QUERIES -> QUERY_COLUMNS;
      case NODE_MEMORY -> MEMORY_COLUMNS;
      case NODE_ADMISSION -> ADMISSION_COLUMNS;
      case STATEMENT_STATISTICS -> STATEMENT_STATISTICS_COLUMNS;
      default -> throw new IllegalArgumentException("no node table " + nodeTable);
    };
    return columns.stream().map(SystemTable.Column::type).toList();
  }

  private static List<Object[]> planCacheRows(Caller caller) {
    ActivityPolicy.checkAdmin(caller.principal(), "read the plan cache");
    PlanCache.Stats stats = caller.engine().planCache().stats();
    return List.<Object[]>of(new Object[] {stats.entries(), stats.hits(), stats.misses(),
        stats.evictions(), stats.bytesEstimate()});
  }

  private static long millis(Instant instant) {
    return instant.toEpochMilli();
  }
}
