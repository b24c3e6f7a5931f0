package io.quell.catalog;

import io.quell.error.QuellException;
import io.quell.error.SqlState;
import io.quell.session.ActivityKind;
import io.quell.parser.RoleOption;
import io.quell.session.CancelCause;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;

/**
 * Users, roles, memberships and the cancellation audit, kept in a relational database: by
 * default an embedded H2 file in the data directory, or any JDBC URL. As in CockroachDB a user
 * is a role with LOGIN. Every change is one transaction, all or nothing. Resolved privileges
 * are cached per role and dropped on any change, so privilege checks on the query path do not
 * touch the database.
 */
public final class UserCatalog implements AutoCloseable {
  public static final String ADMIN = "admin";
  public static final String ROOT = "root";

  private static final List<RoleOption> STORED_OPTIONS = List.of(RoleOption.LOGIN,
      RoleOption.VIEWACTIVITY, RoleOption.VIEWACTIVITYREDACTED, RoleOption.CANCELQUERY);

  private final Opener opener;
  /** The database connection; reopened after a database error (see {@link #db()}). */
  private Connection db;
  private boolean failed;
  /** Resolved roles; emptied by every change made here, aged out for a shared catalog. */
  private final Cache<String, Optional<Resolved>> principals;

  /** A role as cached: its effective privileges and its credential (see {@link #credential}). */
  private record Resolved(Principal principal, HashCode credential) {
  }

  /** Opens a connection to the catalog database. */
  @FunctionalInterface
  private interface Opener {
    Connection open() throws SQLException;
  }

  private UserCatalog(Opener opener, Duration principalTtl) throws SQLException {
    this.opener = opener;
    this.db = opener.open();
    CacheBuilder<Object, Object> cache = CacheBuilder.newBuilder();
    if (principalTtl != null) {
      cache.expireAfterWrite(principalTtl);
    }
    this.principals = cache.build();
    createSchema();
  }

  /** Opens (creating if needed) the embedded catalog database in {@code dataDir}. */
  public static UserCatalog open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new QuellException(SqlState.INTERNAL_ERROR,
          "cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
    // WRITE_DELAY=0: H2 otherwise keeps commits in memory for up to half a second, and a
    // kill -9 in that time lost users and grants whose statements had succeeded (found by
    // CrashRestartTest).
    return open("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("catalog")
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", null, null);
  }

  public static UserCatalog open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, null);
  }

  /**
   * Opens a catalog at {@code jdbcUrl} that other processes may change too, as the nodes of a
   * cluster share one: cached privileges then age out after {@code principalTtl}, since changes
   * made elsewhere do not clear this process's cache. Null keeps them until a change here.
   */
  public static UserCatalog open(String jdbcUrl, String user, String password,
      Duration principalTtl) {
    try {
      return new UserCatalog(() -> DriverManager.getConnection(jdbcUrl, user, password),
          principalTtl);
    } catch (SQLException e) {
      throw error(e);
    }
  }

  /** What the first start produced. */
  public record Bootstrap(Optional<String> generatedRootPassword) {
  }

  /**
   * Makes sure the {@code admin} role and the {@code root} admin user exist. On the first start
   * root gets {@code rootPassword}, or a generated one that is returned to be shown once.
   */
  public synchronized Bootstrap bootstrap(String rootPassword) {
    return transaction(() -> {
      if (exists(ROOT)) {
        return new Bootstrap(Optional.empty());
      }
      if (!exists(ADMIN)) {
        insertRole(ADMIN, EnumSet.noneOf(RoleOption.class), null);
      }
      String password = rootPassword != null ? rootPassword : PasswordHasher.generate();
      insertRole(ROOT, EnumSet.of(RoleOption.LOGIN), PasswordHasher.hash(password));
      insertMembership(ADMIN, ROOT);
      return new Bootstrap(rootPassword == null ? Optional.of(password) : Optional.empty());
    });
  }

  /** CREATE USER (login) / CREATE ROLE (no login). */
  public synchronized void createRole(String name, boolean login, boolean ifNotExists,
      Set<RoleOption> options, PasswordChange password) {
    transaction(() -> {
      if (exists(name)) {
        if (ifNotExists) {
          return null;
        }
        throw new QuellException(SqlState.DUPLICATE_OBJECT, "role " + name + " already exists");
      }
      Set<RoleOption> flags = EnumSet.noneOf(RoleOption.class);
      if (login) {
        flags.add(RoleOption.LOGIN);
      }
      apply(flags, options);
      insertRole(name, flags, password.kind() == PasswordChange.Kind.SET
          ? PasswordHasher.hash(password.password()) : null);
      return null;
    });
  }

  /** ALTER USER/ROLE: the given options are switched on or off, the password changed. */
  public synchronized void alterRole(String name, boolean ifExists, Set<RoleOption> options,
      PasswordChange password) {
    transaction(() -> {
      Set<RoleOption> flags = flags(name);
      if (flags == null) {
        if (ifExists) {
          return null;
        }
        throw missing(name);
      }
      apply(flags, options);
      if (name.equals(ROOT) && !flags.contains(RoleOption.LOGIN)) {
        throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE, "root must keep LOGIN");
      }
      try (PreparedStatement st = db.prepareStatement("UPDATE roles SET login = ?, "
          + "viewactivity = ?, viewactivityredacted = ?, cancelquery = ? WHERE name = ?")) {
        bindFlags(st, flags);
        st.setString(5, name);
        st.executeUpdate();
      }
      if (password.kind() != PasswordChange.Kind.UNCHANGED) {
        try (PreparedStatement st =
                 db.prepareStatement("UPDATE roles SET password_hash = ? WHERE name = ?")) {
          st.setString(1, password.kind() == PasswordChange.Kind.SET
              ? PasswordHasher.hash(password.password()) : null);
          st.setString(2, name);
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  /** DROP USER/ROLE a, b, ...: all of them or none. */
  public synchronized void dropRoles(List<String> names, boolean ifExists) {
    transaction(() -> {
      for (String name : names) {
        if (name.equals(ROOT) || name.equals(ADMIN)) {
          throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
              "cannot drop role " + name + ": it is required by the system");
        }
        if (!exists(name)) {
          if (ifExists) {
            continue;
          }
          throw missing(name);
        }
        for (String sql : new String[] {"DELETE FROM role_members WHERE role = ? OR member = ?",
            "DELETE FROM roles WHERE name = ? OR name = ?"}) {
          try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, name);
            st.setString(2, name);
            st.executeUpdate();
          }
        }
      }
      return null;
    });
  }

  /** GRANT roles TO members. Granting what is already granted is no error. */
  public synchronized void grant(List<String> roles, List<String> members) {
    transaction(() -> {
      for (String role : roles) {
        for (String member : members) {
          requireExists(role);
          requireExists(member);
          if (role.equals(member) || memberOfTransitively(role).contains(member)) {
            throw new QuellException(SqlState.INVALID_GRANT_OPERATION, "making " + member
                + " a member of " + role + " would create a cycle");
          }
          if (!directRoles(member).contains(role)) {
            insertMembership(role, member);
          }
        }
      }
      return null;
    });
  }

  /** REVOKE roles FROM members. */
  public synchronized void revoke(List<String> roles, List<String> members) {
    transaction(() -> {
      for (String role : roles) {
        for (String member : members) {
          requireExists(role);
          requireExists(member);
          if (role.equals(ADMIN) && member.equals(ROOT)) {
            throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
                "root must remain a member of admin");
          }
          try (PreparedStatement st =
                   db.prepareStatement("DELETE FROM role_members WHERE role = ? AND member = ?")) {
            st.setString(1, role);
            st.setString(2, member);
            st.executeUpdate();
          }
        }
      }
      return null;
    });
  }

  /** The user if the password is right and the user may log in. */
  public Optional<Principal> authenticate(String user, String password) {
    return verifyPassword(user, password).filter(Principal::canLogin);
  }

  /**
   * The user if the password is right, whether or not it may log in, so that a NOLOGIN role
   * with the right password can be told so (28000) rather than that its password is wrong.
   */
  public Optional<Principal> verifyPassword(String user, String password) {
    String hash;
    synchronized (this) {
      hash = read(() -> storedHash(user));
    }
    // Outside the lock: the KDF is slow on purpose and must not serialize other sessions.
    if (!PasswordHasher.verify(password, hash)) {
      return Optional.empty();
    }
    return principal(user);
  }

  private String storedHash(String user) throws SQLException {
    try (PreparedStatement st =
             db.prepareStatement("SELECT password_hash FROM roles WHERE name = ?")) {
      st.setString(1, user);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * The effective privileges of {@code name}; cached until the catalog changes here or, for a
   * shared catalog, the cache entry ages out.
   */
  public Optional<Principal> principal(String name) {
    return resolved(name).map(Resolved::principal);
  }

  /**
   * A digest of {@code name}'s stored password hash, cached as {@link #principal} is. Every
   * password set gets a new salt and so a new credential, which lets a cache of verified
   * passwords notice a change without running the KDF; empty for a role without a password.
   */
  public Optional<HashCode> credential(String name) {
    return resolved(name).map(Resolved::credential);
  }

  private Optional<Resolved> resolved(String name) {
    Optional<Resolved> cached = principals.getIfPresent(name);
    if (cached != null) {
      return cached;
    }
    synchronized (this) {
      cached = principals.getIfPresent(name);
      if (cached == null) {
        cached = read(() -> resolve(name));
        principals.put(name, cached);
      }
      return cached;
    }
  }

  public synchronized List<RoleInfo> roles() {
    return read(() -> {
      Map<String, RoleInfo> roles = new LinkedHashMap<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT name, login, viewactivity, viewactivityredacted, cancelquery FROM roles "
              + "ORDER BY name")) {
        while (rs.next()) {
          roles.put(rs.getString(1), new RoleInfo(rs.getString(1), readFlags(rs, 2),
              new ArrayList<>()));
        }
      }
      for (Membership m : memberships()) {
        roles.get(m.member()).memberOf().add(m.role());
      }
      return new ArrayList<>(roles.values());
    });
  }

  public synchronized List<Membership> memberships() {
    return read(() -> {
      List<Membership> list = new ArrayList<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT role, member FROM role_members ORDER BY role, member")) {
        while (rs.next()) {
          list.add(new Membership(rs.getString(1), rs.getString(2)));
        }
      }
      return list;
    });
  }

  public synchronized void recordCancellation(CancellationRecord r) {
    transaction(() -> {
      try (PreparedStatement st = db.prepareStatement("INSERT INTO cancellations (time, "
          + "canceled_by, target, target_id, target_user, cause, statement) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        st.setTimestamp(1, Timestamp.from(r.time()));
        st.setString(2, r.canceller());
        st.setString(3, r.targetKind().name());
        st.setString(4, r.targetId());
        st.setString(5, r.targetUser());
        st.setString(6, r.cause().name());
        st.setString(7, r.statement());
        st.executeUpdate();
      }
      return null;
    });
  }

  public synchronized List<CancellationRecord> cancellations() {
    return read(() -> {
      List<CancellationRecord> list = new ArrayList<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT time, "
          + "canceled_by, target, target_id, target_user, cause, statement FROM cancellations "
          + "ORDER BY id")) {
        while (rs.next()) {
          list.add(new CancellationRecord(rs.getTimestamp(1).toInstant(), rs.getString(2),
              ActivityKind.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
              CancelCause.valueOf(rs.getString(6)), rs.getString(7)));
        }
      }
      return list;
    });
  }

  @Override public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw error(e);
    }
  }

  // --- internals ---------------------------------------------------------------------------

  /** A database action. */
  @FunctionalInterface
  private interface Action<T> {
    T run() throws SQLException;
  }

  private <T> T transaction(Action<T> action) {
    try {
      db().setAutoCommit(false);
      try {
        T result = action.run();
        db.commit();
        principals.invalidateAll();
        return result;
      } catch (SQLException | RuntimeException e) {
        failed |= e instanceof SQLException;
        // A database that closed itself cannot roll back, and its error must not hide why.
        quietly(e, () -> {
          db.rollback();
          return null;
        });
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

  private <T> T read(Action<T> action) {
    try {
      db();
      return action.run();
    } catch (SQLException e) {
      failed = true;
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
      quietly(null, () -> {
        db.close();
        return null;
      });
      db = opener.open();
      failed = false;
    }
    return db;
  }

  /** Runs {@code cleanup}, adding its failure to {@code primary} (if any) instead of throwing. */
  private static void quietly(Exception primary, Action<Void> cleanup) {
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
    }
  }

  private boolean exists(String name) throws SQLException {
    return flags(name) != null;
  }

  private void requireExists(String name) throws SQLException {
    if (!exists(name)) {
      throw missing(name);
    }
  }

  private static QuellException missing(String name) {
    return new QuellException(SqlState.UNDEFINED_OBJECT, "role " + name + " does not exist");
  }

  /** The stored options of {@code name}, or null if there is no such role. */
  private Set<RoleOption> flags(String name) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("SELECT name, login, viewactivity, "
        + "viewactivityredacted, cancelquery FROM roles WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? readFlags(rs, 2) : null;
      }
    }
  }

  private static Set<RoleOption> readFlags(ResultSet rs, int first) throws SQLException {
    Set<RoleOption> flags = EnumSet.noneOf(RoleOption.class);
    for (int i = 0; i < STORED_OPTIONS.size(); i++) {
      if (rs.getBoolean(first + i)) {
        flags.add(STORED_OPTIONS.get(i));
      }
    }
    return flags;
  }

  private static void bindFlags(PreparedStatement st, Set<RoleOption> flags)
      throws SQLException {
    for (int i = 0; i < STORED_OPTIONS.size(); i++) {
      st.setBoolean(i + 1, flags.contains(STORED_OPTIONS.get(i)));
    }
  }

  /** Applies option keywords: {@code VIEWACTIVITY} switches on, {@code NOVIEWACTIVITY} off. */
  private static void apply(Set<RoleOption> flags, Set<RoleOption> options) {
    for (RoleOption option : options) {
      RoleOption stored = RoleOption.valueOf(option.flag());
      if (option.enables()) {
        flags.add(stored);
      } else {
        flags.remove(stored);
      }
    }
  }

  private void insertRole(String name, Set<RoleOption> flags, String passwordHash)
      throws SQLException {
    try (PreparedStatement st = db.prepareStatement("INSERT INTO roles (login, viewactivity, "
        + "viewactivityredacted, cancelquery, name, password_hash) VALUES (?, ?, ?, ?, ?, ?)")) {
      bindFlags(st, flags);
      st.setString(5, name);
      st.setString(6, passwordHash);
      st.executeUpdate();
    }
  }

  private void insertMembership(String role, String member) throws SQLException {
    try (PreparedStatement st =
             db.prepareStatement("INSERT INTO role_members (role, member) VALUES (?, ?)")) {
      st.setString(1, role);
      st.setString(2, member);
      st.executeUpdate();
    }
  }

  private Set<String> directRoles(String member) throws SQLException {
    Set<String> roles = new HashSet<>();
    try (PreparedStatement st =
             db.prepareStatement("SELECT role FROM role_members WHERE member = ?")) {
      st.setString(1, member);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          roles.add(rs.getString(1));
        }
      }
    }
    return roles;
  }

  /** Every role {@code name} belongs to, directly or through other roles. */
  private Set<String> memberOfTransitively(String name) throws SQLException {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      for (String role : directRoles(todo.pop())) {
        if (seen.add(role)) {
          todo.push(role);
        }
      }
    }
    return seen;
  }

  private Optional<Resolved> resolve(String name) throws SQLException {
    Set<RoleOption> own = flags(name);
    if (own == null) {
      return Optional.empty();
    }
    Set<String> roles = memberOfTransitively(name);
    Map<String, Set<RoleOption>> inherited = new HashMap<>();
    for (String role : roles) {
      inherited.put(role, flags(role));
    }
    Set<RoleOption> all = EnumSet.copyOf(own);
    inherited.values().forEach(all::addAll);
    boolean admin = name.equals(ADMIN) || roles.contains(ADMIN);
    Principal principal = new Principal(name, admin,
        admin || all.contains(RoleOption.VIEWACTIVITY),
        all.contains(RoleOption.VIEWACTIVITYREDACTED),
        admin || all.contains(RoleOption.CANCELQUERY),
        own.contains(RoleOption.LOGIN));
    String hash = storedHash(name);
    return Optional.of(new Resolved(principal,
        hash == null ? null : Hashing.sha256().hashString(hash, StandardCharsets.UTF_8)));
  }
}
