package io.quell.catalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import com.google.common.base.Throwables;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The relational database the catalog is kept in: by default an embedded H2 file in the data
 * directory, or H2 or PostgreSQL at a JDBC URL (PostgreSQL when the members of a cluster on
 * several machines share it). Its schema is Flyway's to create and migrate, from the same
 * scripts for both. One connection, used by one caller at a time; every change is one
 * transaction, all or nothing, run again when it lost a race with another process on the same
 * catalog; a connection that failed is reopened; database errors become
 * {@link QuellException}s: 53100 when the disk is full, 08001 when the database cannot be
 * reached, 08006 when the connection to it was lost.
 */
final class CatalogDatabase implements AutoCloseable {
  /** Opens a connection to the catalog database. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  /** Work on the catalog's connection. */
  @FunctionalInterface
  interface Action<T> {
    T run(Connection db) throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(CatalogDatabase.class);
  private static final String MIGRATIONS = "classpath:io/quell/catalog/migration";
  /** The key of the PostgreSQL advisory lock under which the catalog is migrated. */
  private static final long MIGRATION_LOCK = 0x5155454c4cL;
  /**
   * How often a transaction that lost a race is run again: each round some process commits, so
   * a handful of members starting at once settle within a few rounds.
   */
  private static final int ATTEMPTS = 10;
  /**
   * Errors of a transaction that another process's commit made fail: a row it inserted in the
   * meantime (23505), a serialization failure or deadlock on PostgreSQL (40001, 40P01), H2's
   * "Concurrent update in table" (90131). Run again, the transaction sees that commit.
   */
  private static final Set<String> LOST_RACE = Set.of(SqlState.UNIQUE_VIOLATION.code(),
      SqlState.SERIALIZATION_FAILURE.code(), SqlState.DEADLOCK_DETECTED.code(),
      // H2's own code for "Concurrent update in table", no SQLSTATE of any standard
      "90131");
  /**
   * How long a networked catalog may leave a statement unanswered. Catalog statements are
   * small, and every request of a member waits for this one connection: with none, a member
   * cut from PostgreSQL hung its clients for minutes on a dead TCP connection (found by
   * PartitionTest); with it they get 08006 and the next request reconnects.
   */
  private static final int NETWORK_TIMEOUT_MS = 10_000;

  private final Opener opener;
  /** Run after every commit, still holding this database, so no reader sees a stale state. */
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  /** Errors of the catalog database since start, for the metrics. */
  private final LongAdder errors = new LongAdder();
  /** The connection; reopened after a database error (see {@link #db()}). */
  private Connection db;
  private boolean failed;

  private CatalogDatabase(Opener opener) {
    this.opener = opener;
    this.db = connect(opener);
  }

  /** Opens (creating if needed) the embedded catalog database in {@code dataDir}. */
  static CatalogDatabase open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new QuellException(SqlState.INTERNAL_ERROR,
          "cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
    // WRITE_DELAY=0: H2 otherwise keeps commits in memory for up to half a second, and a
    // kill -9 in that time lost users and grants whose statements had succeeded (found by
    // CrashRestartTest).
    return open("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("catalog")
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", null, null);
  }

  /**
   * Opens the catalog at {@code jdbcUrl}, an H2 or PostgreSQL database, creating or migrating
   * its schema. Members starting at once on an empty PostgreSQL catalog migrate it one at a
   * time, under an advisory lock: Flyway's own lock covers the migrations but not the creation
   * of its schema history, and a member that found the history just created by another, still
   * empty, failed to baseline it (found by ConcurrentStartTest).
   */
  static CatalogDatabase open(String jdbcUrl, String user, String password) {
    boolean postgresql = jdbcUrl.startsWith("jdbc:postgresql:");
    if (!jdbcUrl.startsWith("jdbc:h2:") && !postgresql) {
      throw new QuellException(SqlState.FEATURE_NOT_SUPPORTED, "the user catalog must be an H2 "
          + "(jdbc:h2:...) or PostgreSQL (jdbc:postgresql://...) database, not " + jdbcUrl);
    }
    // The connection is open first, so that an in-memory H2 catalog outlives Flyway's own.
    CatalogDatabase database = new CatalogDatabase(() -> {
      Connection c = DriverManager.getConnection(jdbcUrl, user, password);
      if (postgresql) {
        c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
      }
      return c;
    });
    try {
      if (postgresql) {
        database.read(db -> {
          // Waiting for another member's migration is not a dead network.
          db.setNetworkTimeout(Runnable::run, 0);
          advisoryLock(db, "pg_advisory_lock");
          try {
            migrate(jdbcUrl, user, password);
          } finally {
            advisoryLock(db, "pg_advisory_unlock");
            db.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
          }
          return null;
        });
      } else {
        migrate(jdbcUrl, user, password);
      }
      return database;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static void advisoryLock(Connection db, String function) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("SELECT " + function + "(?)")) {
      st.setLong(1, MIGRATION_LOCK);
      st.execute();
    }
  }

  private static void migrate(String jdbcUrl, String user, String password) {
    Flyway flyway = Flyway.configure(CatalogDatabase.class.getClassLoader())
        .dataSource(jdbcUrl, user, password)
        .locations(MIGRATIONS)
        // A catalog of a Quell from before Flyway has the tables but no schema history: every
        // migration runs over it, and each is written to keep what is there.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
    try {
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info("user catalog migrated from version {} to {}",
            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
            result.targetSchemaVersion);
      }
    } catch (FlywayException e) {
      SQLException cause = Throwables.getCausalChain(e).stream()
          .filter(SQLException.class::isInstance).map(SQLException.class::cast)
          .findFirst().orElse(null);
      if (cause != null) {
        throw translate(cause);
      }
      throw new QuellException(SqlState.INTERNAL_ERROR,
          "cannot migrate the user catalog: " + firstLine(e.getMessage()), e);
    }
  }

  /** Registers {@code listener} to run after every committed transaction. */
  void afterCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  /**
   * Runs {@code action} as one transaction: committed if it returns, rolled back if it throws,
   * and run again if another process's commit made it fail (see {@link #LOST_RACE}).
   */
  synchronized <T> T transaction(Action<T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(action);
      } catch (SQLException e) {
        if (attempt == ATTEMPTS || !LOST_RACE.contains(e.getSQLState())) {
          failed = true;
          throw error(e);
        }
      }
    }
  }

  private <T> T attempt(Action<T> action) throws SQLException {
    db().setAutoCommit(false);
    try {
      T result = action.run(db);
      db.commit();
      commitListeners.forEach(Runnable::run);
      return result;
    } catch (SQLException | RuntimeException e) {
      // A database that closed itself cannot roll back, and its error must not hide why.
      quietly(e, () -> db.rollback());
      throw e;
    } finally {
      if (!db.isClosed()) {
        db.setAutoCommit(true);
      }
    }
  }

  /** Runs {@code action}, which only reads; it may call {@code read} again. */
  synchronized <T> T read(Action<T> action) {
    try {
      return action.run(db());
    } catch (SQLException e) {
      failed = true;
      throw error(e);
    }
  }

  @Override public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw error(e);
    }
  }

  /**
   * The connection, reopened after a database error: H2 stops a database whose file write
   * failed (a full disk) while its connection still reports itself valid, and until the node
   * restarted every catalog change then failed even after space was freed (found by
   * CatalogDiskFullTest). Reopening recovers from the last committed state on disk, and from a
   * PostgreSQL server that restarted.
   */
  private Connection db() throws SQLException {
    if (failed || db.isClosed()) {
      quietly(null, () -> db.close());
      db = opener.open();
      failed = false;
    }
    return db;
  }

  private static Connection connect(Opener opener) {
    try {
      return opener.open();
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** A cleanup step that may fail. */
  @FunctionalInterface
  private interface Cleanup {
    void run() throws SQLException;
  }

  /** How many calls to the catalog database failed since this node started. */
  long errors() {
    return errors.sum();
  }

  /** Runs {@code cleanup}, adding its failure to {@code primary} (if any) instead of throwing. */
  private static void quietly(Exception primary, Cleanup cleanup) {
    try {
      cleanup.run();
    } catch (SQLException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }

  /** The error for {@code e}, counted among the catalog's errors. */
  private QuellException error(SQLException e) {
    errors.increment();
    return translate(e);
  }

  /**
   * The error for {@code e}: 53100 when a full disk is the cause (PostgreSQL says so with its
   * SQLSTATE, H2 only in a message somewhere in the chain), 08001 when the database cannot be
   * reached or refuses the catalog's login, 08006 when the connection to it broke (PostgreSQL
   * also ends its sessions with 57P01-57P03 when it shuts down or restarts).
   */
  private static QuellException translate(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    String full = SqlState.DISK_FULL.code().equals(state) ? firstLine(e.getMessage()) : null;
    for (Throwable t = e; t != null && full == null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No space left") || m.contains("disk full")) {
        full = firstLine(m);
      }
    }
    if (full != null) {
      return new QuellException(SqlState.DISK_FULL, "user catalog error: disk full: " + full, e);
    }
    if (state.equals(SqlState.CANNOT_CONNECT.code())) {
      return new QuellException(SqlState.CANNOT_CONNECT,
          "cannot reach the user catalog: " + firstLine(e.getMessage()), e);
    }
    // The catalog's login is the server's, not the client's: a client told 28P01 would
    // suspect its own password.
    if (state.startsWith("28")) {
      return new QuellException(SqlState.CANNOT_CONNECT, "the user catalog refused the login "
          + "of --catalog-user: " + firstLine(e.getMessage()), e);
    }
    if (state.startsWith("08") || state.startsWith("57P0")) {
      return new QuellException(SqlState.CONNECTION_FAILURE,
          "lost the connection to the user catalog: " + firstLine(e.getMessage()), e);
    }
    return new QuellException(SqlState.INTERNAL_ERROR,
        "user catalog error: " + firstLine(e.getMessage()), e);
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message);
    return m.lines().findFirst().orElse(m);
  }
}
