package io.quell.engine;

import io.quell.catalog.NodePrincipal;
import io.quell.catalog.Principal;
import io.quell.catalog.UserCatalog;
import io.quell.cluster.ClusterActivity;
import io.quell.cluster.ClusterConfig;
import io.quell.error.QuellException;
import io.quell.error.SqlState;
import io.quell.execution.CancelExecutor;
import io.quell.execution.CancellableSchema;
import io.quell.execution.Canceller;
import io.quell.execution.plan.CancellablePrepare;
import io.quell.execution.source.SourceModelHandler;
import io.quell.sample.TpchSchema;
import io.quell.server.ErrorReplies;
import io.quell.server.GuardedProtobufHandler;
import io.quell.server.InProcessServiceFactory;
import io.quell.server.QuellMeta;
import io.quell.server.RequestGuard;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.Session;
import io.quell.session.SessionRegistry;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.model.ModelHandler;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One Quell node's engine: user catalog, session registry, system schema, data schemas and the
 * {@link QuellMeta} through which every client, remote or embedded, reaches them. Data schemas
 * are built once and shared by every session's Calcite connection.
 */
public final class QuellEngine implements AutoCloseable {
  public static final String DEFAULT_USER = "root";
  public static final String PARSER_FACTORY = QuellParserFactory.class.getName() + "#FACTORY";

  /** Connections and statements a node keeps open at most; only expiry should end them. */
  private static final long MAX_CACHED_HANDLES = 1_000_000;

  private static final Map<String, QuellEngine> RUNNING = new ConcurrentHashMap<>();

  /** Calcite's driver, preparing statements so that a cancel reaches planning and operators. */
  private static final Driver ENGINE_DRIVER =
      new Driver().withPrepareFactory(CancellablePrepare::new);

  private final String key = UUID.randomUUID().toString();
  private final EngineConfig config;
  private final ClusterActivity cluster;
  private final UserCatalog catalog;
  private final Optional<String> generatedRootPassword;
  private final SessionRegistry registry;
  private final Canceller canceller;
  private final CancelExecutor cancelExecutor;
  private final SystemSchema systemSchema = new SystemSchema(this);
  private final Map<String, Schema> dataSchemas = new LinkedHashMap<>();
  private final String defaultSchema;
  private final Properties engineProperties = new Properties();
  private final ScheduledExecutorService timers;
  private final QuellMeta meta;
  private final ErrorReplies errorReplies;
  private final Service service;
  private final GuardedProtobufHandler inProcessHandler;

  private QuellEngine(EngineConfig config, ClusterActivity cluster)
      throws SQLException, IOException {
    this.config = config;
    this.cluster = cluster;
    this.catalog = config.catalogUrl() != null
        ? UserCatalog.open(config.catalogUrl(), null, null,
            cluster == null ? null : ClusterConfig.SHARED_CATALOG_TTL)
        : UserCatalog.open(config.dataDir());
    this.generatedRootPassword =
        catalog.roles().bootstrap(config.rootPassword()).generatedRootPassword();
    this.registry = new SessionRegistry(config.nodeId());
    this.canceller = new Canceller(catalog);
    this.cancelExecutor = new CancelExecutor(registry, catalog, canceller, cluster);
    this.defaultSchema = loadDataSchemas();
    engineProperties.setProperty("parserFactory", PARSER_FACTORY);
    engineProperties.setProperty("unquotedCasing", "TO_LOWER");
    engineProperties.setProperty("caseSensitive", "false");
    engineProperties.setProperty("fun", "standard,postgresql");
    long expirySeconds = Math.max(1, config.connectionExpiry().toSeconds());
    for (String cache : new String[] {"avatica.connectioncache", "avatica.statementcache"}) {
      engineProperties.setProperty(cache + ".expiryduration", Long.toString(expirySeconds));
      engineProperties.setProperty(cache + ".expiryunit", TimeUnit.SECONDS.name());
      // Avatica evicts beyond 1,000 entries by default, which silently ended the oldest
      // sessions once a node held 1,000 connections (found by the session-scale benchmark).
      engineProperties.setProperty(cache + ".maxcapacity", Long.toString(MAX_CACHED_HANDLES));
    }
    this.meta = new QuellMeta(this, engineProperties);
    this.errorReplies = new ErrorReplies(config.debugErrors());
    this.service = RequestGuard.around(meta);
    this.inProcessHandler = new GuardedProtobufHandler(service, errorReplies);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "quell-timers-node-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
    timers.scheduleWithFixedDelay(this::sweep, 200, 200, TimeUnit.MILLISECONDS);
    RUNNING.put(key, this);
  }

  public static QuellEngine start(EngineConfig config) throws SQLException, IOException {
    return new QuellEngine(config, null);
  }

  /**
   * Starts the engine of a member of {@code cluster}, whose node id it takes; the engine does
   * not own the membership.
   */
  public static QuellEngine start(EngineConfig config, ClusterActivity cluster)
      throws SQLException, IOException {
    if (config.catalogUrl() == null) {
      throw new IllegalArgumentException("the members of a cluster share one user catalog: "
          + "give every member the same --catalog-url");
    }
    return new QuellEngine(config.withNodeId(cluster.nodeId()), cluster);
  }

  /** The engine whose system schema hangs under {@code root}. */
  static QuellEngine of(SchemaPlus root) {
    SchemaPlus system = root.getSubSchema(SystemSchema.NAME);
    if (system == null) {
      throw new IllegalStateException("not a Quell engine connection");
    }
    return system.unwrap(SystemSchema.class).engine();
  }

  /** The running engine with {@code key}, for the in-process transport. */
  public static QuellEngine byKey(String key) {
    QuellEngine engine = RUNNING.get(key);
    if (engine == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "the embedded engine is closed");
    }
    return engine;
  }

  public String key() {
    return key;
  }

  public EngineConfig config() {
    return config;
  }

  public UserCatalog catalog() {
    return catalog;
  }

  /** The other members of this node's cluster; empty for a single node. */
  public Optional<ClusterActivity> cluster() {
    return Optional.ofNullable(cluster);
  }

  /**
   * The privileges of {@code user}: the catalog's, or, on a cluster member, those of the node
   * principal with which other members call this one.
   */
  public Optional<Principal> principal(String user) {
    if (cluster != null && NodePrincipal.NAME.equals(user)) {
      return Optional.of(NodePrincipal.PRINCIPAL);
    }
    return catalog.principals().principal(user);
  }

  public SessionRegistry registry() {
    return registry;
  }

  public Canceller canceller() {
    return canceller;
  }

  public CancelExecutor cancelExecutor() {
    return cancelExecutor;
  }

  public QuellMeta meta() {
    return meta;
  }

  /** The Avatica service over this engine, for an HTTP server to expose. */
  public Service service() {
    return service;
  }

  /** How error replies look, over HTTP and in-process alike. */
  public ErrorReplies errorReplies() {
    return errorReplies;
  }

  /** The handler the in-process transport sends serialized requests to. */
  public GuardedProtobufHandler inProcessHandler() {
    return inProcessHandler;
  }

  /** The root password generated at first start, to be shown once; empty afterwards. */
  public Optional<String> generatedRootPassword() {
    return generatedRootPassword;
  }

  /**
   * Opens an in-process JDBC connection as {@code user}. The process is trusted, so no
   * password is asked; the user must exist and have LOGIN.
   */
  public Connection connect(String user, Properties properties) throws SQLException {
    Properties info = new Properties();
    if (properties != null) {
      info.putAll(properties);
    }
    info.setProperty("user", user);
    info.setProperty("url", InProcessServiceFactory.url(this));
    info.setProperty("factory", InProcessServiceFactory.class.getName());
    info.setProperty("serialization", "protobuf");
    try {
      return new org.apache.calcite.avatica.remote.Driver().connect("jdbc:avatica:remote:", info);
    } catch (AvaticaClientRuntimeException e) {
      // Avatica's client raises a refused connect unchecked; JDBC callers expect SQLException.
      throw new SQLException(e.getMessage().replaceFirst("^Remote driver error: ", ""),
          e.getSqlState(), e);
    }
  }

  /** A new Calcite connection for a session: Quell's parser, the shared schemas. */
  public Connection newEngineConnection(Properties ignoredClientProperties) throws SQLException {
    // Client properties never reach Calcite: a client must not choose the model or plug-ins.
    CalciteConnection connection = ENGINE_DRIVER.connect("jdbc:calcite:", engineProperties)
        .unwrap(CalciteConnection.class);
    SchemaPlus root = connection.getRootSchema();
    root.add(SystemSchema.NAME, systemSchema);
    dataSchemas.forEach(root::add);
    TpchSchema.addFunctions(root);
    if (defaultSchema != null) {
      connection.setSchema(defaultSchema);
    }
    return connection;
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
      query.setTimeout(timers.schedule(() -> canceller.cancelQuery(query, Canceller.SYSTEM_USER,
          CancelCause.TIMEOUT, null), nanos, TimeUnit.NANOSECONDS));
    }
  }

  private void sweep() {
    try {
      for (Session session : registry.sessions()) {
        long idle = session.variables().idleTimeout().toNanos();
        if (idle > 0 && session.idleNanos() > idle) {
          canceller.cancelSession(session, Canceller.SYSTEM_USER, CancelCause.IDLE_TIMEOUT, null);
        }
      }
      meta.sweep();
    } catch (RuntimeException e) {
      // The sweeper must survive a failing catalog write; the next round retries.
      org.slf4j.LoggerFactory.getLogger(QuellEngine.class).warn("session sweep failed: {}",
          e.toString());
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

  @Override public void close() {
    RUNNING.remove(key);
    meta.closeAll();
    timers.shutdownNow();
    catalog.close();
  }
}
