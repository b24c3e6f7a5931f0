package io.quell.server;

import io.quell.admission.AdmissionControl;
import io.quell.cluster.ClusterConfig;
import io.quell.engine.EngineConfig;
import io.quell.error.QuellException;
import io.quell.memory.ByteSize;
import io.quell.metrics.MonitoringConfig;
import io.quell.server.console.Console;
import io.quell.session.ClosedSessions;
import io.quell.session.ServerVersion;
import io.quell.session.SessionVariable;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The {@code quell} command: starts one node and runs until it is drained (SIGTERM, SIGINT,
 * {@code quell drain} or DRAIN NODE).
 */
@Command(name = "quell", mixinStandardHelpOptions = true, version = ServerVersion.QUELL,
    description = "Quell SQL server: Apache Calcite over Avatica HTTP with session control.",
    subcommands = DrainCommand.class)
public final class ServerMain implements Callable<Integer> {
  @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free)")
  int port = 8765;

  @Option(names = "--pg-port", description = "PostgreSQL protocol port, for psql, pgjdbc and "
      + "other PostgreSQL clients (default: ${DEFAULT-VALUE}; 0 = off)")
  int pgPort = 5433;

  @Option(names = "--host", description = "address to bind (default: loopback; with TLS all "
      + "interfaces). Plain HTTP on another address needs --insecure")
  String host;

  @Option(names = "--insecure", description = "allow plain HTTP on a non-loopback --host: "
      + "every request then carries its user's password in clear")
  boolean insecure;

  @Option(names = "--debug-errors", description = "send the server's stack trace with every "
      + "error reply (for debugging; the log always has it under the reply's error id)")
  boolean debugErrors;

  @Option(names = "--data-dir", description = "directory of the user catalog "
      + "(default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("quell-data");

  @Option(names = "--catalog-url", description = "JDBC URL of the user catalog, an H2 or "
      + "PostgreSQL database, instead of the embedded database in --data-dir; the members of a "
      + "cluster share one (jdbc:postgresql://host:port/database)")
  String catalogUrl;

  @Option(names = "--catalog-user", description = "user of the --catalog-url database")
  String catalogUser;

  @Option(names = "--catalog-password", description = "password of --catalog-user "
      + "(default: env QUELL_CATALOG_PASSWORD)")
  String catalogPassword = System.getenv("QUELL_CATALOG_PASSWORD");

  @Option(names = "--model", description = "Calcite model file whose schemas replace the "
      + "sample TPC-H data")
  Path model;

  @Option(names = "--scale", description = "TPC-H scale factor of the sample data "
      + "(default: ${DEFAULT-VALUE})")
  double scale = 1.0;

  @Option(names = "--node-id", description = "this node's id (default: 1; in a cluster the "
      + "lowest free id, and a given id must be free)")
  Long nodeId;

  @Option(names = "--zookeeper", description = "ZooKeeper connect string host:port[,...]; "
      + "makes this node a member of the cluster --cluster-name")
  String zookeeper;

  @Option(names = "--cluster-name", description = "cluster to join (default: ${DEFAULT-VALUE})")
  String clusterName = "quell";

  @Option(names = "--cluster-secret", description = "secret shared by the members, at least 16 "
      + "characters; required with --zookeeper (default: env QUELL_CLUSTER_SECRET)")
  String clusterSecret = System.getenv("QUELL_CLUSTER_SECRET");

  @Option(names = "--advertise-address", description = "host:port at which the other members "
      + "reach this node (default: --host, or this machine's name if bound to all interfaces, "
      + "and the bound port)")
  String advertiseAddress;

  @Option(names = "--zookeeper-session-timeout", description = "seconds after which a member "
      + "that stopped answering ZooKeeper leaves the cluster (default: ${DEFAULT-VALUE})")
  long zookeeperSessionTimeoutSeconds = ClusterConfig.DEFAULT_SESSION_TIMEOUT.toSeconds();

  @Option(names = "--peer-timeout", description = "milliseconds a cluster-wide SHOW waits for "
      + "each member before leaving it out (default: ${DEFAULT-VALUE})")
  long peerTimeoutMillis = ClusterConfig.DEFAULT_PEER_DEADLINE.toMillis();

  @Option(names = "--serialization", description = "PROTOBUF or JSON (default: ${DEFAULT-VALUE})")
  Serialization serialization = Serialization.PROTOBUF;

  @Option(names = "--tls-keystore", description = "PKCS12/JKS keystore; enables HTTPS")
  File tlsKeystore;

  @Option(names = "--tls-keystore-password", description = "keystore password "
      + "(default: env QUELL_TLS_KEYSTORE_PASSWORD)")
  String tlsKeystorePassword = System.getenv("QUELL_TLS_KEYSTORE_PASSWORD");

  @Option(names = "--root-password", description = "root's password at first start "
      + "(default: env QUELL_ROOT_PASSWORD, else generated and printed once)")
  String rootPassword = System.getenv("QUELL_ROOT_PASSWORD");

  @Option(names = "--connection-expiry", description = "seconds without requests after which "
      + "a connection and its session end (default: ${DEFAULT-VALUE})")
  long connectionExpirySeconds = 600;

  @Option(names = "--console-idle-timeout", description = "seconds without requests after which "
      + "a web console login ends (default: ${DEFAULT-VALUE})")
  long consoleIdleTimeoutSeconds = Console.DEFAULT_IDLE_TIMEOUT.toSeconds();

  @Option(names = "--drain-timeout", description = "seconds a drain (SIGTERM, quell drain) lets "
      + "running queries finish before it cancels them (default: ${DEFAULT-VALUE})")
  double drainTimeoutSeconds = 10;

  @Option(names = "--closed-session-retention", description = "seconds an ended session stays "
      + "listed with status CLOSED; 0 keeps none (default: ${DEFAULT-VALUE})")
  long closedSessionRetentionSeconds = ClosedSessions.DEFAULT_RETENTION.toSeconds();

  @Option(names = "--closed-session-limit", description = "ended sessions listed at most, the "
      + "oldest dropped first (default: ${DEFAULT-VALUE})")
  int closedSessionLimit = ClosedSessions.DEFAULT_LIMIT;

  @Option(names = "--max-sql-memory", description = "memory all queries together may hold, "
      + "as a size (512MB, 2GiB) or a share of the max heap (0.25, 25%%) (default: 25%% of the "
      + "max heap)")
  String maxSqlMemory;

  @Option(names = "--memory-accounting", negatable = true, description = "operators account "
      + "for the rows they hold and queries fail 53200 past their limits; --no-memory-accounting "
      + "only to measure what that costs and saves (default: on)")
  boolean memoryAccounting = true;

  @Option(names = "--heap-guard-threshold", description = "share of the max heap the old "
      + "generation may fill after a collection before the query holding most is stopped; 0 "
      + "switches the guard off (default: ${DEFAULT-VALUE})")
  double heapGuardThreshold = EngineConfig.DEFAULT_HEAP_GUARD_THRESHOLD;

  @Option(names = "--max-running-queries", description = "queries that may run at once on "
      + "this node; the rest wait in a queue (admins and session control never wait); -1 for "
      + "no limit (default: ${DEFAULT-VALUE})")
  int maxRunningQueries = AdmissionControl.UNLIMITED;

  @Option(names = "--max-queued-queries", description = "queries that may wait for their turn "
      + "on this node; beyond them a query fails at once with 53000 (default: ${DEFAULT-VALUE})")
  int maxQueuedQueries = EngineConfig.DEFAULT_MAX_QUEUED_QUERIES;

  @Option(names = "--admission-memory-threshold", description = "share of the SQL memory "
      + "(0 to 1) above which new queries wait until running ones free memory; 0 switches this "
      + "off (default: ${DEFAULT-VALUE})")
  double admissionMemoryThreshold;

  @Option(names = "--metrics-auth", description = "GET /metrics needs a user's login (BASIC "
      + "authentication, any user who may log in); without it the metrics, counts only, are "
      + "open to anyone who reaches the port")
  boolean metricsAuth;

  @Option(names = "--statement-statistics", negatable = true, description = "keep "
      + "quell_internal.statement_statistics; --no-statement-statistics only to measure what "
      + "they cost (default: on)")
  boolean statementStatistics = true;

  @Option(names = "--slow-query-threshold", description = "log each statement that takes at "
      + "least this long (1s, 500ms) to the slow-query log, logger io.quell.slowquery; 0 logs "
      + "none (default: 0)")
  String slowQueryThreshold = "0";

  @Option(names = "--slow-query-redact", description = "the slow-query log shows statements "
      + "with their constants hidden, as VIEWACTIVITYREDACTED sees them (passwords are hidden "
      + "always)")
  boolean slowQueryRedact;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServerMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args));
  }

  @Override public Integer call() throws Exception {
    QuellServer server;
    try {
      server = start();
    } catch (IllegalArgumentException e) {
      System.err.println("quell: " + e.getMessage());
      return 2;
    } catch (QuellException e) {
      // A catalog, ZooKeeper or cluster that refuses the node: the operator's to fix, so the
      // reason, not a stack trace.
      System.err.println("quell: " + e.getMessage() + " (SQLSTATE " + e.sqlState().code() + ")");
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::drain, "quell-shutdown"));
    server.stopped().join();
    return 0;
  }

  /** Starts the node the options describe and says where it listens. */
  QuellServer start() throws Exception {
    if (catalogUrl == null && catalogUser != null) {
      throw new IllegalArgumentException("--catalog-user is the login of a --catalog-url "
          + "database; the embedded catalog in --data-dir has none");
    }
    ClusterConfig cluster = zookeeper == null ? null : new ClusterConfig(zookeeper, clusterName,
        nodeId == null ? 0 : nodeId, clusterSecret,
        Duration.ofSeconds(zookeeperSessionTimeoutSeconds), Duration.ofMillis(peerTimeoutMillis));
    EngineConfig config = EngineConfig.builder().nodeId(nodeId == null ? 1 : nodeId)
        .dataDir(dataDir)
        .catalogUrl(catalogUrl).catalogLogin(catalogUser, catalogPassword).rootPassword(rootPassword).model(model).scaleFactor(scale)
        .connectionExpiry(Duration.ofSeconds(connectionExpirySeconds))
        .drainTimeout(Duration.ofMillis(Math.round(drainTimeoutSeconds * 1000)))
        .closedSessionRetention(Duration.ofSeconds(closedSessionRetentionSeconds))
        .closedSessionLimit(closedSessionLimit)
        .maxSqlMemory(sqlMemory(maxSqlMemory)).heapGuardThreshold(heapGuardThreshold)
        .memoryAccounting(memoryAccounting)
        .admission(maxRunningQueries, maxQueuedQueries)
        .admissionMemoryThreshold(admissionMemoryThreshold)
        .monitoring(new MonitoringConfig(statementStatistics,
            duration("--slow-query-threshold", slowQueryThreshold), slowQueryRedact))
        .debugErrors(debugErrors).build();
    QuellServer.Tls tls = tlsKeystore == null ? null
        : new QuellServer.Tls(tlsKeystore, tlsKeystorePassword);
    if (pgPort < 0 || pgPort > 65535) {
      throw new IllegalArgumentException("--pg-port " + pgPort
          + " is no port: give 1-65535, or 0 for no PostgreSQL port");
    }
    QuellServer.Builder builder = QuellServer.builder(config).host(host).port(port)
        .serialization(serialization).tls(tls).insecure(insecure)
        .consoleIdleTimeout(Duration.ofSeconds(consoleIdleTimeoutSeconds))
        .metricsAuth(metricsAuth)
        .cluster(cluster, advertiseAddress);
    if (pgPort != 0) {
      builder.pgPort(pgPort);
    }
    QuellServer server = builder.start();
    server.engine().generatedRootPassword().ifPresent(p -> System.out.println(
        "First start: user root has password " + p + " (shown once; change it with "
            + "ALTER USER root WITH PASSWORD '...')"));
    String scheme = tls == null ? "http" : "https";
    System.out.println("Quell node " + server.engine().registry().nodeId()
        + (cluster == null ? "" : " of cluster " + clusterName) + " listening on " + scheme + "://"
        + (host == null ? "localhost" : host) + ":" + server.port()
        + "  JDBC URL: jdbc:quell://" + (host == null ? "localhost" : host) + ":"
        + server.port() + (tls == null ? "" : "?tls=true") + "  web console: " + scheme + "://"
        + (host == null ? "localhost" : host) + ":" + server.port() + Console.PATH + "/");
    server.pgPort().ifPresent(p -> System.out.println("PostgreSQL protocol on "
        + (host == null ? "localhost" : host) + ":" + p + " (psql -h "
        + (host == null ? "localhost" : host) + " -p " + p + " -U root quell)"));
    System.out.println("SQL memory: " + ByteSize.format(config.sqlMemoryPool()) + " of a "
        + ByteSize.format(Runtime.getRuntime().maxMemory()) + " max heap; heap guard "
        + (heapGuardThreshold == 0 ? "off" : "at " + Math.round(heapGuardThreshold * 100)
            + "% after collection"));
    System.out.println("Admission: " + (maxRunningQueries == AdmissionControl.UNLIMITED
        ? "no limit on running queries" : "at most " + maxRunningQueries + " running queries, "
        + maxQueuedQueries + " more queued"));
    return server;
  }

  /** A duration option such as {@code 1s} or {@code 500ms}. */
  private static Duration duration(String option, String text) {
    try {
      return SessionVariable.parseDuration(text);
    } catch (QuellException e) {
      throw new IllegalArgumentException(option + " " + text
          + ": expected a duration such as 1s, 500ms or 2min");
    }
  }

  /** {@code --max-sql-memory} in bytes: a size, or a share of the max heap; 0 if not given. */
  static long sqlMemory(String text) {
    if (text == null) {
      return 0;
    }
    String share = text.trim();
    boolean percent = share.endsWith("%");
    try {
      double fraction = Double.parseDouble(percent ? share.substring(0, share.length() - 1)
          : share) / (percent ? 100 : 1);
      if (percent || fraction > 0 && fraction <= 1 && share.contains(".")) {
        if (fraction <= 0 || fraction > 1) {
          throw new IllegalArgumentException("--max-sql-memory " + text
              + ": a share of the heap is above 0 and at most 100%");
        }
        return (long) (Runtime.getRuntime().maxMemory() * fraction);
      }
    } catch (NumberFormatException notAShare) {
      // a size with a unit
    }
    long bytes = ByteSize.parse(text);
    if (bytes <= 0) {
      throw new IllegalArgumentException("--max-sql-memory " + text
          + ": expected a size such as 512MB or a share of the heap such as 25%");
    }
    return bytes;
  }
}
