package io.quell.engine;

import io.quell.admission.AdmissionControl;
import io.quell.metrics.MonitoringConfig;
import io.quell.session.ClosedSessions;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an engine starts: where its user catalog lives, which data it serves, its node id, the
 * lifetime of abandoned connections, how long a drain lets queries run, how much closed-session
 * history it keeps, and whether error replies carry stack traces. Built with
 * {@link #builder()}; every field has the product default.
 */
public record EngineConfig(long nodeId, Path dataDir, String catalogUrl, String catalogUser,
    String catalogPassword, String rootPassword, Path model, double scaleFactor,
    Duration connectionExpiry, boolean debugErrors, Duration drainTimeout,
    Duration closedSessionRetention, int closedSessionLimit, long maxSqlMemory,
    double heapGuardThreshold, boolean memoryAccounting, int maxRunningQueries,
    int maxQueuedQueries, double admissionMemoryThreshold, MonitoringConfig monitoring) {
  /** The share of the JVM's max heap that queries may hold unless told otherwise. */
  public static final double DEFAULT_SQL_MEMORY_FRACTION = 0.25;
  /** The old generation's occupancy after a collection above which the heap guard acts. */
  public static final double DEFAULT_HEAP_GUARD_THRESHOLD = 0.85;
  /** Queries that may wait for admission at once unless told otherwise. */
  public static final int DEFAULT_MAX_QUEUED_QUERIES = 1_000;

  /** The bytes queries may hold in all: {@code maxSqlMemory}, or its default share of heap. */
  public long sqlMemoryPool() {
    return maxSqlMemory > 0 ? maxSqlMemory
        : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_SQL_MEMORY_FRACTION);
  }

  /** The same configuration for the node id a cluster assigned. */
  public EngineConfig withNodeId(long nodeId) {
    return new EngineConfig(nodeId, dataDir, catalogUrl, catalogUser, catalogPassword,
        rootPassword, model, scaleFactor, connectionExpiry, debugErrors, drainTimeout,
        closedSessionRetention, closedSessionLimit, maxSqlMemory, heapGuardThreshold,
        memoryAccounting, maxRunningQueries, maxQueuedQueries, admissionMemoryThreshold,
        monitoring);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link EngineConfig}. */
  public static final class Builder {
    private long nodeId = 1;
    private Path dataDir = Path.of("quell-data");
    private String catalogUrl;
    private String catalogUser;
    private String catalogPassword;
    private String rootPassword;
    private Path model;
    private double scaleFactor = 1.0;
    private Duration connectionExpiry = Duration.ofMinutes(10);
    private boolean debugErrors;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration closedSessionRetention = ClosedSessions.DEFAULT_RETENTION;
    private int closedSessionLimit = ClosedSessions.DEFAULT_LIMIT;
    private long maxSqlMemory;
    private double heapGuardThreshold = DEFAULT_HEAP_GUARD_THRESHOLD;
    private boolean memoryAccounting = true;
    private int maxRunningQueries = AdmissionControl.UNLIMITED;
    private int maxQueuedQueries = DEFAULT_MAX_QUEUED_QUERIES;
    private double admissionMemoryThreshold;
    private MonitoringConfig monitoring = MonitoringConfig.DEFAULT;

    public Builder nodeId(long nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * The JDBC URL of an H2 or PostgreSQL database for the user catalog instead of the
     * embedded database in the data dir.
     */
    public Builder catalogUrl(String catalogUrl) {
      this.catalogUrl = catalogUrl;
      return this;
    }

    /** The user and password the catalog database at {@link #catalogUrl} is logged in with. */
    public Builder catalogLogin(String user, String password) {
      this.catalogUser = user;
      this.catalogPassword = password;
      return this;
    }

    /** The root password to set at first start; null prints a generated one. */
    public Builder rootPassword(String rootPassword) {
      this.rootPassword = rootPassword;
      return this;
    }

    /** A Calcite model file whose schemas replace the sample data. */
    public Builder model(Path model) {
      this.model = model;
      return this;
    }

    /** TPC-H scale factor of the sample data. */
    public Builder scaleFactor(double scaleFactor) {
      this.scaleFactor = scaleFactor;
      return this;
    }

    /** How long a connection may go without requests before its session ends. */
    public Builder connectionExpiry(Duration connectionExpiry) {
      this.connectionExpiry = connectionExpiry;
      return this;
    }

    /**
     * Whether error replies carry the server's stack trace: for debugging only, since a trace
     * tells any client the server's classes, files and libraries.
     */
    public Builder debugErrors(boolean debugErrors) {
      this.debugErrors = debugErrors;
      return this;
    }

    /** How long a drain lets running queries finish before it cancels them. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** How long an ended session stays listed (status CLOSED); zero keeps none. */
    public Builder closedSessionRetention(Duration closedSessionRetention) {
      this.closedSessionRetention = closedSessionRetention;
      return this;
    }

    /** How many ended sessions stay listed at most, oldest dropped first. */
    public Builder closedSessionLimit(int closedSessionLimit) {
      this.closedSessionLimit = closedSessionLimit;
      return this;
    }

    /** The bytes all queries together may hold; 0 for the default share of the max heap. */
    public Builder maxSqlMemory(long maxSqlMemory) {
      this.maxSqlMemory = maxSqlMemory;
      return this;
    }

    /**
     * The share of the max heap (0 to 1) that the old generation may still fill after a
     * collection before the heap guard stops the query holding most; 0 switches the guard off.
     */
    public Builder heapGuardThreshold(double heapGuardThreshold) {
      this.heapGuardThreshold = heapGuardThreshold;
      return this;
    }

    /**
     * Whether operators account for what they hold (on by default); off, no memory limit
     * applies, for measuring what accounting costs and what it saves.
     */
    public Builder memoryAccounting(boolean memoryAccounting) {
      this.memoryAccounting = memoryAccounting;
      return this;
    }

    /**
     * How many queries may run at once on the node ({@link AdmissionControl#UNLIMITED} for no
     * limit) and how many more may wait for their turn; admins and session control never wait.
     */
    public Builder admission(int maxRunningQueries, int maxQueuedQueries) {
      this.maxRunningQueries = maxRunningQueries;
      this.maxQueuedQueries = maxQueuedQueries;
      return this;
    }

    /**
     * The share of the SQL memory pool (0 to 1) above which new queries wait until running
     * ones free memory; 0, the default, admits whatever the pool holds.
     */
    public Builder admissionMemoryThreshold(double admissionMemoryThreshold) {
      this.admissionMemoryThreshold = admissionMemoryThreshold;
      return this;
    }

    public Builder monitoring(MonitoringConfig monitoring) {
      this.monitoring = monitoring;
      return this;
    }

    public EngineConfig build() {
      if (maxSqlMemory < 0 || heapGuardThreshold < 0 || heapGuardThreshold > 1) {
        throw new IllegalArgumentException("the SQL memory must not be negative and the heap "
            + "guard's threshold must be between 0 and 1: " + maxSqlMemory + ", "
            + heapGuardThreshold);
      }
      if (maxRunningQueries < 1 && maxRunningQueries != AdmissionControl.UNLIMITED
          || maxQueuedQueries < 0
          || admissionMemoryThreshold < 0 || admissionMemoryThreshold > 1) {
        throw new IllegalArgumentException("the running-query limit must be at least 1 (or -1 "
            + "for none), the queue must not be negative and the admission memory threshold "
            + "must be between 0 and 1: " + maxRunningQueries + ", " + maxQueuedQueries + ", "
            + admissionMemoryThreshold);
      }
      if (drainTimeout.isNegative() || closedSessionRetention.isNegative()
          || closedSessionLimit < 0) {
        throw new IllegalArgumentException("the drain timeout, closed-session retention and "
            + "closed-session limit must not be negative: " + drainTimeout.toMillis() + " ms, "
            + closedSessionRetention.toSeconds() + " s, " + closedSessionLimit);
      }
      return new EngineConfig(nodeId, dataDir, catalogUrl, catalogUser, catalogPassword,
          rootPassword, model, scaleFactor, connectionExpiry, debugErrors, drainTimeout,
          closedSessionRetention, closedSessionLimit, maxSqlMemory, heapGuardThreshold,
          memoryAccounting, maxRunningQueries, maxQueuedQueries, admissionMemoryThreshold,
          monitoring);
    }
  }
}
