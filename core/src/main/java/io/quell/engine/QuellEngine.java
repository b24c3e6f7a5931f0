package io.quell.engine;

import io.quell.activity.ActivityDirectory;
import io.quell.activity.ConnectionCount;
import io.quell.activity.LocalActivities;
import io.quell.activity.Peers;
import io.quell.activity.Viewer;
import io.quell.admission.AdmissionControl;
import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;
import io.quell.client.SqlState;
import io.quell.engine.dialect.DialectConfig;
import io.quell.engine.dialect.PostgresTypeCoercion;
import io.quell.engine.dialect.QuellTypeSystem;
import io.quell.engine.dialect.PostgresConvertlets;
import io.quell.engine.dialect.SearchPath;
import io.quell.engine.pgcatalog.PgCatalog;
import io.quell.error.QuellException;
import io.quell.execution.CancelStatement;
import io.quell.execution.CancellableSchema;
import io.quell.execution.Cancellations;
import io.quell.execution.HeapGuard;
import io.quell.execution.QueryThread;
import io.quell.execution.plan.CancellablePrepare;
import io.quell.execution.plan.PlanCache;
import io.quell.execution.source.SourceModelHandler;
import io.quell.memory.MemoryPool;
import io.quell.metrics.MetricsHistory;
import io.quell.metrics.NodeMetrics;
import io.quell.metrics.SlowQueryLog;
import io.quell.metrics.StatementStatistics;
import io.quell.parser.DdlKeywords;
import io.quell.sample.TpchSchema;
import io.quell.session.CancelCause;
import io.quell.session.CancelReason;
import io.quell.session.ClosedSessions;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.model.ModelHandler;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One Quell node's engine: user catalog, session registry, system schema, data schemas, the
 * statements' Calcite connections and every cancellation. Data schemas are built once and
 * shared by every session's Calcite connection. Clients reach it through a front end.
 */
public final class QuellEngine implements AutoCloseable {
  public static final String DEFAULT_USER = "root";
  /** How long closing waits for a timer task that is running (a catalog write, say). */
  private static final long CLOSE_WAIT_SECONDS = 10;
  public static final String PARSER_FACTORY = QuellParserFactory.class.getName() + "#FACTORY";

  /**
   * How long a cluster member trusts privileges and views it read from the shared catalog: a
   * GRANT, REVOKE, DROP or CREATE VIEW made on another member applies here within this time.
   */
  private static final Duration SHARED_CATALOG_TTL = Duration.ofSeconds(1);

  /**
   * Bounds of the plan cache: a dashboard's few hundred statement shapes many times over,
   * within memory a node spares easily.
   */
  private static final int PLAN_CACHE_ENTRIES = 5_000;
  private static final long PLAN_CACHE_BYTES = 64L << 20;

  private final EngineConfig config;
  private final Peers peers;
  private final UserCatalog catalog;
  private final Optional<String> generatedRootPassword;
  private final SessionRegistry registry;
  private final ConnectionLimits connectionLimits;
  private final Cancellations cancellations;
  /** Null when switched off. */
  private final HeapGuard heapGuard;
  private final NodeDrain drain;
  private final AdmissionControl admission;
  private final SystemSettings systemSettings;
  private final LocalActivities localActivities;
  private final CancelStatement cancelStatement;
  private final NodeMetrics metrics = new NodeMetrics();
  private final StatementStatistics statementStatistics;
  private final SlowQueryLog slowQueries;
  private final PgCatalog pgCatalog;
  private final SystemSchema systemSchema = new SystemSchema(this);
  private final Map<String, Schema> dataSchemas = new LinkedHashMap<>();
  private final String defaultSchema;
  private final Properties engineProperties = new Properties();
  /** How statements are parsed, validated and planned: Calcite's, with PostgreSQL's dialect. */
  private final DialectConfig dialect;
  private final ScheduledExecutorService timers;
  /** Lives as long as the data schemas it plans against, loaded once with the engine. */
  private final PlanCache planCache =
      new PlanCache(PLAN_CACHE_ENTRIES, PLAN_CACHE_BYTES, this::planScope);
  /** Calcite's driver, preparing statements so that a cancel reaches planning and operators. */
  private final Driver engineDriver = new Driver().withPrepareFactory(this::preparation);

  private QuellEngine(EngineConfig config, Peers peers) throws SQLException, IOException {
    this.config = config;
    this.peers = peers;
    this.catalog = config.catalogUrl() != null
        ? UserCatalog.open(config.catalogUrl(), config.catalogUser(), config.catalogPassword(),
            peers == null ? null : SHARED_CATALOG_TTL)
        : UserCatalog.open(config.dataDir());
    this.generatedRootPassword =
        catalog.roles().bootstrap(config.rootPassword()).generatedRootPassword();
    this.cancellations = new Cancellations(catalog.audit());
    this.statementStatistics = new StatementStatistics(StatementStatistics.MAX_ENTRIES,
        config.monitoring().statementStatistics());
    this.slowQueries = new SlowQueryLog(config.monitoring().slowQueryThreshold(),
        config.monitoring().redactSlowQueries());
    this.registry = new SessionRegistry(config.nodeId(),
        new ClosedSessions(config.closedSessionRetention(), config.closedSessionLimit()),
        new MemoryPool(config.sqlMemoryPool(), config.memoryAccounting()), this::stopForMemory,
        this::statementFinished);
    this.heapGuard = config.heapGuardThreshold() == 0 ? null
        : new HeapGuard(config.heapGuardThreshold(), registry::queries,
            q -> DdlKeywords.isSessionControl(q.sql()), this::stopForHeap).start();
    this.connectionLimits = new ConnectionLimits(registry, Optional.ofNullable(peers));
    this.localActivities = new LocalActivities(registry);
    this.cancelStatement = new CancelStatement(peers == null ? localActivities
        : ActivityDirectory.routed(config.nodeId(), localActivities, peers.activities()),
        catalog.principals(), cancellations);
    this.pgCatalog = new PgCatalog(catalog, registry, cancelStatement,
        List.of(SystemSchema.NAME, SystemSchema.NODE_SESSIONS));
    this.defaultSchema = loadDataSchemas();
    engineProperties.setProperty("parserFactory", PARSER_FACTORY);
    engineProperties.setProperty("unquotedCasing", "TO_LOWER");
    engineProperties.setProperty("caseSensitive", "false");
    engineProperties.setProperty("fun", "standard,postgresql");
    engineProperties.setProperty("typeSystem", QuellTypeSystem.class.getName() + "#INSTANCE");
    this.dialect = new DialectConfig(engineProperties);
    ScheduledThreadPoolExecutor timerThread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "quell-timers-node-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
    // Closing runs no timeout that is still to come, and a disarmed one is gone at once.
    timerThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timerThread.setRemoveOnCancelPolicy(true);
    this.timers = timerThread;
    this.admission = new AdmissionControl(config.maxRunningQueries(),
        config.maxQueuedQueries(), registry.memory(), config.admissionMemoryThreshold(), timers);
    this.systemSettings = new SystemSettings(admission, config);
    this.drain = new NodeDrain(registry, cancellations, admission, Optional.ofNullable(peers),
        config.drainTimeout());
    metrics.bind(registry, admission, planCache, cancellations, catalog,
        Optional.ofNullable(peers), drain::draining, statementStatistics);
    every(MetricsHistory.INTERVAL.toMillis(), () -> metrics.history().sample());
    everySweep(this::endIdleSessions);
  }

  public static QuellEngine start(EngineConfig config) throws SQLException, IOException {
    return new QuellEngine(config, null);
  }

  /**
   * Starts the engine of cluster member {@code nodeId} among {@code peers}; the engine does not
   * own the membership.
   */
  public static QuellEngine start(EngineConfig config, long nodeId, Peers peers)
      throws SQLException, IOException {
    if (config.catalogUrl() == null) {
      throw new IllegalArgumentException("the members of a cluster share one user catalog: "
          + "give every member the same --catalog-url");
    }
    return new QuellEngine(config.withNodeId(nodeId), peers);
  }

  /** The engine whose system schema hangs under {@code root}. */
  static QuellEngine of(SchemaPlus root) {
    SchemaPlus system = root.getSubSchema(SystemSchema.NAME);
    if (system == null) {
      throw new IllegalStateException("not a Quell engine connection");
    }
    return system.unwrap(SystemSchema.class).engine();
  }

  public EngineConfig config() {
    return config;
  }

  public UserCatalog catalog() {
    return catalog;
  }

  /** The other members of this node's cluster; empty for a single node. */
  public Optional<Peers> peers() {
    return Optional.ofNullable(peers);
  }

  /** The privileges of {@code user}, as the catalog has them. */
  public Optional<Principal> principal(String user) {
    return catalog.principals().principal(user);
  }

  public SessionRegistry registry() {
    return registry;
  }

  /** This node's sessions and queries, as a cancel finds them; other members ask it too. */
  public LocalActivities localActivities() {
    return localActivities;
  }

  /**
   * The rows of node table {@code table} that {@code viewer}, a reader on another member, may
   * see, as this node's own readers with its privileges see them; fails with 42P01 for a table
   * that is no node table.
   */
  public List<Object[]> nodeRows(String table, Viewer viewer) {
    return systemSchema.nodeRows(table, viewer);
  }

  /** The open sessions of {@code role} on this node, as its CONNECTION LIMIT counts them. */
  public ConnectionCount connections(String role) {
    return connectionLimits.count(role);
  }

  /**
   * Opens the session of {@code user}, who may log in, on {@code connection}; fails with 57P03
   * while the node drains and with 53300 if the role is at its CONNECTION LIMIT, registering
   * nothing.
   */
  public Session openSession(String user, String clientAddress, String applicationName,
      Connection connection) {
    Principal principal = principal(user).orElseThrow(() -> new QuellException(
        SqlState.INVALID_AUTHORIZATION, "role " + user + " does not exist"));
    drain.checkAccepting();
    Session session =
        connectionLimits.open(principal, clientAddress, applicationName, connection);
    session.variables().startAs(principal.isAdmin(), defaultSchema == null ? "" : defaultSchema,
        path -> SearchPath.apply(session, path));
    session.variables().startWith(catalog.roles().settingsOf(user));
    return session;
  }

  /** The node's limits on running queries and its queue. */
  public AdmissionControl admission() {
    return admission;
  }

  /** What ALTER SYSTEM changes. */
  SystemSettings systemSettings() {
    return systemSettings;
  }

  /**
   * Admits {@code query} to run, after the queries ahead of it in the queue if the node or
   * its user is at a limit. Session control and administration ({@link SessionControlStatements})
   * and every statement of an admin never wait: an operator can always look and cancel when
   * the node is full (other members list and cancel without statements).
   */
  public void admit(RunningQuery query) {
    String user = query.session().user();
    Optional<Principal> principal = principal(user);
    if (SessionControlStatements.neverQueued(query.sql())
        || principal.map(Principal::isAdmin).orElse(false)) {
      query.admitted();
      return;
    }
    admission.admit(query, user,
        principal.map(Principal::queryLimit).orElse(Principal.UNLIMITED));
  }

  /** This node's graceful drain, started by SIGTERM or DRAIN NODE. */
  public NodeDrain drain() {
    return drain;
  }

  public Cancellations cancellations() {
    return cancellations;
  }

  public CancelStatement cancelStatement() {
    return cancelStatement;
  }

  /** The root password generated at first start, to be shown once; empty afterwards. */
  public Optional<String> generatedRootPassword() {
    return generatedRootPassword;
  }

  /** A new Calcite connection for a session: Quell's parser, the shared schemas, the views. */
  public Connection newEngineConnection(Properties ignoredClientProperties) throws SQLException {
    // Client properties never reach Calcite: a client must not choose the model or plug-ins.
    CalciteConnection connection = engineDriver.connect("jdbc:calcite:", engineProperties)
        .unwrap(CalciteConnection.class);
    SchemaPlus root = connection.getRootSchema();
    root.add(SystemSchema.NAME, systemSchema);
    dataSchemas.forEach((name, schema) ->
        ViewSchema.add(connection, name, schema, catalog.views()));
    TpchSchema.addFunctions(root);
    pgCatalog.addTo(root);
    if (defaultSchema != null) {
      connection.setSchema(defaultSchema);
    }
    return connection;
  }

  /**
   * Preparation of one statement, or of a query inside one (a CANCEL's source): each gets its
   * own, as Calcite's driver gives each statement, over the node's plan cache.
   */
  public CancellablePrepare preparation() {
    return new CancellablePrepare(planCache, dialect, PostgresConvertlets.INSTANCE,
        PostgresTypeCoercion::new);
  }

  public PlanCache planCache() {
    return planCache;
  }

  /**
   * What the plans of the session preparing in {@code context} depend on besides their text:
   * the views, which plans expand (compared by definition, so that a view made or dropped on
   * another cluster member counts once this node reads it). No session variable changes a
   * plan, and no plan depends on the caller: system tables filter and redact their rows at
   * scan time. Empty for a session with {@code plan_cache} off, or for a connection that is
   * no session's.
   */
  private Optional<Object> planScope(CalcitePrepare.Context context) {
    // The statement's own session where it runs as one: a data context is costly to make.
    Session session = QueryThread.session();
    if (session == null) {
      session = registry.sessionOf(context.getDataContext().getQueryProvider());
    }
    if (session == null || !session.variables().planCache()) {
      return Optional.empty();
    }
    return Optional.of(dataSchemas.keySet().stream().map(catalog.views()::inSchema).toList());
  }

  /** The node's metrics, which {@code GET /metrics} shows. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** What {@code quell_internal.statement_statistics} shows. */
  public StatementStatistics statementStatistics() {
    return statementStatistics;
  }

  /**
   * Every executed statement of every front end passes here once, as its session ends it.
   * Internal sessions' statements (the console's polls, a peer's) are not the node's workload.
   */
  private void statementFinished(RunningQuery query) {
    if (query.session().isInternal()) {
      return;
    }
    metrics.record(query);
    statementStatistics.record(query);
    slowQueries.record(query);
  }

  /** Throws 28000 unless {@code user} exists and may log in. */
  public void checkCanLogin(String user) {
    Optional<Principal> principal = principal(user);
    if (principal.isEmpty() || !principal.get().canLogin()) {
      throw new QuellException(SqlState.INVALID_AUTHORIZATION,
          "role " + user + " does not exist or is not permitted to log in");
    }
  }

  /** Schedules the cancel of {@code query} when its session's statement_timeout passes. */
  public void armStatementTimeout(RunningQuery query) {
    long nanos = query.session().variables().statementTimeout().toNanos();
    if (nanos > 0) {
      query.setTimeout(timers.schedule(
          () -> cancellations.cancelByNode(query, CancelCause.TIMEOUT), nanos,
          TimeUnit.NANOSECONDS));
    }
  }

  /** Runs {@code task} every 200 ms on the engine's timer until the engine closes. */
  public void everySweep(Runnable task) {
    every(200, task);
  }

  /**
   * Runs {@code task} every {@code millis} on the engine's timer until the engine closes. A
   * round that fails (a catalog write, say) is logged and the next round retries: a scheduled
   * task that throws is never run again, and a dead sweep would leave abandoned work running.
   */
  private void every(long millis, Runnable task) {
    timers.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(QuellEngine.class).warn("timer task failed: {}",
            e.toString());
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void endIdleSessions() {
    for (Session session : registry.sessions()) {
      long idle = session.variables().idleTimeout().toNanos();
      if (idle > 0 && session.idleNanos() > idle) {
        cancellations.endByNode(session, CancelCause.IDLE_TIMEOUT);
      }
    }
  }

  /** Loads the sample or model schemas once; returns the default schema's name. */
  private String loadDataSchemas() throws IOException {
    if (config.model() == null) {
      dataSchemas.put("tpch", CancellableSchema.wrap(new TpchSchema(config.scaleFactor())));
      return "tpch";
    }
    SchemaPlus modelRoot = CalciteSchema.createRootSchema(false).plus();
    ModelHandler handler =
        new SourceModelHandler(modelRoot, config.model().toAbsolutePath().toString());
    for (String name : modelRoot.subSchemas().getNames(org.apache.calcite.schema.lookup.LikePattern.any())) {
      Schema schema = modelRoot.subSchemas().get(name).unwrap(CalciteSchema.class).schema;
      dataSchemas.put(name, CancellableSchema.wrap(schema));
    }
    return handler.defaultSchemaName();
  }

  /** Ends every session, cancelling what runs, and closes the catalog. */
  /** Cancels {@code query}, which went past its memory limit or the pool's; audited. */
  private void stopForMemory(RunningQuery query, String message) {
    cancellations.cancelByNode(query, new CancelReason(CancelCause.MEMORY, message));
  }

  /** Cancels {@code query}, which the heap guard chose; audited. */
  private void stopForHeap(RunningQuery query, String message) {
    query.memory().countStoppedByGuard();
    stopForMemory(query, message);
  }

  /** The node's pool for what queries hold. */
  public MemoryPool memory() {
    return registry.memory();
  }

  /** The heap guard, or empty if it is switched off. */
  public Optional<HeapGuard> heapGuard() {
    return Optional.ofNullable(heapGuard);
  }

  @Override public void close() {
    if (heapGuard != null) {
      heapGuard.close();
    }
    registry.sessions().forEach(s -> cancellations.closeSession(s, CancelCause.SHUTDOWN));
    // A timer task may be writing to the catalog (a statement timeout's audit record): an
    // interrupt would close the catalog's file under it, so running tasks finish first.
    timers.shutdown();
    try {
      if (!timers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        timers.shutdownNow();
      }
    } catch (InterruptedException e) {
      timers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    metrics.close();
    catalog.close();
  }
}
