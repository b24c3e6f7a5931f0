package io.quell.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an engine starts: where its user catalog lives, which data it serves, its node id and
 * the lifetime of abandoned connections, and whether error replies carry stack traces. Built with {@link #builder()}; every field has the
 * product default.
 */
public record EngineConfig(long nodeId, Path dataDir, String catalogUrl, String catalogUser,
    String catalogPassword, String rootPassword, Path model, double scaleFactor,
    Duration connectionExpiry, boolean debugErrors) {

  /** The same configuration for the node id a cluster assigned. */
  public EngineConfig withNodeId(long nodeId) {
    return new EngineConfig(nodeId, dataDir, catalogUrl, catalogUser, catalogPassword,
        rootPassword, model, scaleFactor, connectionExpiry, debugErrors);
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

    public EngineConfig build() {
      return new EngineConfig(nodeId, dataDir, catalogUrl, catalogUser, catalogPassword,
          rootPassword, model, scaleFactor, connectionExpiry, debugErrors);
    }
  }
}
