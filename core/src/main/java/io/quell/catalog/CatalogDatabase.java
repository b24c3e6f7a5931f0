package io.quell.catalog;

import io.quell.error.QuellException;
import io.quell.error.SqlState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The relational database the catalog is kept in: by default an embedded H2 file in the data
 * directory, or any JDBC URL. One connection, used by one caller at a time; every change is one
 * transaction, all or nothing; a connection that failed is reopened; database errors become
 * {@link QuellException}s, 53100 when the disk is full.
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

  private final Opener opener;
  /** Run after every commit, still holding this database, so no reader sees a stale state. */
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  /** The connection; reopened after a database error (see {@link #db()}). */
  private Connection db;
  private boolean failed;

  private CatalogDatabase(Opener opener) throws SQLException {
    this.opener = opener;
    this.db = opener.open();
    createSchema();
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

  static CatalogDatabase open(String jdbcUrl, String user, String password) {
    try {
      return new CatalogDatabase(() -> DriverManager.getConnection(jdbcUrl, user, password));
    } catch (SQLException e) {
      throw error(e);
    }
  }

  /** Registers {@code listener} to run after every committed transaction. */
  void afterCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  /** Runs {@code action} as one transaction: committed if it returns, rolled back if it throws. */
  synchronized <T> T transaction(Action<T> action) {
    try {
      db().setAutoCommit(false);
      try {
        T result = action.run(db);
        db.commit();
        commitListeners.forEach(Runnable::run);
        return result;
      } catch (SQLException | RuntimeException e) {
        failed |= e instanceof SQLException;
        // A database that closed itself cannot roll back, and its error must not hide why.
        quietly(e, () -> db.rollback());
        throw e;
      } finally {
        if (!db.isClosed()) {
          db.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw error(e);
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
   * CatalogDiskFullTest). Reopening recovers from the last committed state on disk.
   */
  private Connection db() throws SQLException {
    if (failed || db.isClosed()) {
      quietly(null, () -> db.close());
      db = opener.open();
      failed = false;
    }
    return db;
  }

  /** A cleanup step that may fail. */
  @FunctionalInterface
  private interface Cleanup {
    void run() throws SQLException;
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

  /** The error for {@code e}: 53100 when a full disk is the cause anywhere in its chain. */
  private static QuellException error(SQLException e) {
    String message = String.valueOf(e.getMessage());
    String full = null;
    for (Throwable t = e; t != null && full == null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No space left") || m.contains("disk full")) {
        full = m.lines().findFirst().orElse(m);
      }
    }
    return new QuellException(full != null ? SqlState.DISK_FULL : SqlState.INTERNAL_ERROR,
        "user catalog error: " + (full != null ? "disk full: " + full
            : message.lines().findFirst().orElse(message)), e);
  }

  /** The catalog's tables; the privilege columns are named after {@link Privilege}. */
  private void createSchema() throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS roles (name VARCHAR(128) PRIMARY KEY, "
          + "login BOOLEAN NOT NULL, viewactivity BOOLEAN NOT NULL, "
          + "viewactivityredacted BOOLEAN NOT NULL, cancelquery BOOLEAN NOT NULL, "
          + "password_hash VARCHAR(200))");
      st.execute("CREATE TABLE IF NOT EXISTS role_members (role VARCHAR(128) NOT NULL, "
          + "member VARCHAR(128) NOT NULL, PRIMARY KEY (role, member))");
      st.execute("CREATE TABLE IF NOT EXISTS cancellations (id BIGINT AUTO_INCREMENT "
          + "PRIMARY KEY, time TIMESTAMP NOT NULL, canceled_by VARCHAR(128) NOT NULL, "
          + "target VARCHAR(16) NOT NULL, target_id VARCHAR(32) NOT NULL, "
          + "target_user VARCHAR(128) NOT NULL, cause VARCHAR(32) NOT NULL, "
          + "statement VARCHAR(1000000))");
      // Added with CONNECTION LIMIT and WITH MESSAGE; older catalogs gain the columns here.
      st.execute("ALTER TABLE roles ADD COLUMN IF NOT EXISTS connection_limit INT DEFAULT -1 "
          + "NOT NULL");
      st.execute("ALTER TABLE cancellations ADD COLUMN IF NOT EXISTS message VARCHAR(1000)");
      // folded_name: the name in lower case, so that names differing only in case collide.
      st.execute("CREATE TABLE IF NOT EXISTS views (schema_name VARCHAR(128) NOT NULL, "
          + "folded_name VARCHAR(128) NOT NULL, name VARCHAR(128) NOT NULL, "
          + "definition VARCHAR(1000000) NOT NULL, PRIMARY KEY (schema_name, folded_name))");
    }
  }
}
