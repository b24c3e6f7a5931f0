package io.quell.catalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The roles of the catalog, their privileges, passwords and memberships. As in CockroachDB a
 * user is a role with LOGIN. Every change is one transaction of the {@link CatalogDatabase}.
 */
public final class RoleStore {
  /** The role whose members may do everything. */
  public static final String ADMIN = "admin";
  /** The admin user made at the first start; it always keeps LOGIN and its admin membership. */
  public static final String ROOT = "root";

  /** The stored privilege columns of table {@code roles}, one per {@link Privilege}. */
  private static final List<Privilege> PRIVILEGES = List.of(Privilege.values());
  private static final String PRIVILEGE_COLUMNS =
      PRIVILEGES.stream().map(RoleStore::column).collect(Collectors.joining(", "));

  private final CatalogDatabase database;

  RoleStore(CatalogDatabase database) {
    this.database = database;
  }

  /** What the first start produced. */
  public record Bootstrap(Optional<String> generatedRootPassword) {
  }

  /**
   * Makes sure the {@code admin} role and the {@code root} admin user exist. On the first start
   * root gets {@code rootPassword}, or a generated one that is returned to be shown once.
   */
  public Bootstrap bootstrap(String rootPassword) {
    return database.transaction(db -> {
      if (exists(db, ROOT)) {
        return new Bootstrap(Optional.empty());
      }
      if (!exists(db, ADMIN)) {
        insertRole(db, ADMIN, EnumSet.noneOf(Privilege.class), null);
      }
      String password = rootPassword != null ? rootPassword : PasswordHasher.generate();
      insertRole(db, ROOT, EnumSet.of(Privilege.LOGIN), PasswordHasher.hash(password));
      insertMembership(db, ADMIN, ROOT);
      return new Bootstrap(rootPassword == null ? Optional.of(password) : Optional.empty());
    });
  }

  /** CREATE USER (login) / CREATE ROLE (no login). */
  public void create(String name, boolean login, boolean ifNotExists, PrivilegeChange privileges,
      PasswordChange password, LimitChange limits) {
    database.transaction(db -> {
      if (exists(db, name)) {
        if (ifNotExists) {
          return null;
        }
        throw new QuellException(SqlState.DUPLICATE_OBJECT, "role " + name + " already exists");
      }
      Set<Privilege> initial = login ? EnumSet.of(Privilege.LOGIN)
          : EnumSet.noneOf(Privilege.class);
      insertRole(db, name, privileges.applyTo(initial),
          password.kind() == PasswordChange.Kind.SET
              ? PasswordHasher.hash(password.password()) : null);
      setLimits(db, name, limits);
      return null;
    });
  }

  /**
   * ALTER USER/ROLE: the given privileges are switched on or off, the password and the
   * limits (those given) changed.
   */
  public void alter(String name, boolean ifExists, PrivilegeChange privileges,
      PasswordChange password, LimitChange limits) {
    database.transaction(db -> {
      Set<Privilege> stored = privileges(db, name);
      if (stored == null) {
        if (ifExists) {
          return null;
        }
        throw missing(name);
      }
      Set<Privilege> changed = privileges.applyTo(stored);
      if (name.equals(ROOT) && !changed.contains(Privilege.LOGIN)) {
        throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE, "root must keep LOGIN");
      }
      try (PreparedStatement st = db.prepareStatement("UPDATE roles SET "
          + PRIVILEGES.stream().map(p -> column(p) + " = ?").collect(Collectors.joining(", "))
          + " WHERE name = ?")) {
        st.setString(bindPrivileges(st, 1, changed), name);
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
      setLimits(db, name, limits);
      return null;
    });
  }

  private static void setLimits(Connection db, String name, LimitChange limits)
      throws SQLException {
    setLimit(db, name, "connection_limit", limits.connections());
    setLimit(db, name, "query_limit", limits.queries());
  }

  private static void setLimit(Connection db, String name, String column, Integer limit)
      throws SQLException {
    if (limit == null) {
      return;
    }
    try (PreparedStatement st =
             db.prepareStatement("UPDATE roles SET " + column + " = ? WHERE name = ?")) {
      st.setInt(1, limit);
      st.setString(2, name);
      st.executeUpdate();
    }
  }

  /** DROP USER/ROLE a, b, ...: all of them or none. */
  public void drop(List<String> names, boolean ifExists) {
    database.transaction(db -> {
      for (String name : names) {
        if (name.equals(ROOT) || name.equals(ADMIN)) {
          throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
              "cannot drop role " + name + ": it is required by the system");
        }
        if (!exists(db, name)) {
          if (ifExists) {
            continue;
          }
          throw missing(name);
        }
        for (String sql : new String[] {"DELETE FROM role_members WHERE role = ? OR member = ?",
            "DELETE FROM role_settings WHERE role_name = ? OR role_name = ?",
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
  public void grant(List<String> roles, List<String> members) {
    database.transaction(db -> {
      for (String role : roles) {
        for (String member : members) {
          requireExists(db, role);
          requireExists(db, member);
          if (role.equals(member) || memberOfTransitively(db, role).contains(member)) {
            throw new QuellException(SqlState.INVALID_GRANT_OPERATION, "making " + member
                + " a member of " + role + " would create a cycle");
          }
          if (!directRoles(db, member).contains(role)) {
            insertMembership(db, role, member);
          }
        }
      }
      return null;
    });
  }

  /** REVOKE roles FROM members. */
  public void revoke(List<String> roles, List<String> members) {
    database.transaction(db -> {
      for (String role : roles) {
        for (String member : members) {
          requireExists(db, role);
          requireExists(db, member);
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

  /** Every role with its own privileges and direct memberships, by name. */
  public List<RoleInfo> list() {
    return database.read(db -> {
      Map<String, RoleInfo> roles = new LinkedHashMap<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT name, connection_limit, query_limit, " + PRIVILEGE_COLUMNS + " FROM roles ORDER BY name")) {
        while (rs.next()) {
          String name = rs.getString("name");
          roles.put(name, new RoleInfo(name, readPrivileges(rs), rs.getInt("connection_limit"),
              rs.getInt("query_limit"), new ArrayList<>()));
        }
      }
      for (Membership m : memberships(db)) {
        roles.get(m.member()).memberOf().add(m.role());
      }
      return new ArrayList<>(roles.values());
    });
  }

  public List<Membership> memberships() {
    return database.read(RoleStore::memberships);
  }

  /**
   * Whether {@code password} is {@code user}'s. A user without a password, or no such user,
   * costs the same time as a wrong password, so timing does not reveal who exists.
   */
  boolean passwordMatches(String user, String password) {
    String hash = database.read(db -> passwordHash(db, user));
    // Outside the database's lock: the KDF is slow on purpose and must not serialize sessions.
    return PasswordHasher.verify(password, hash);
  }

  /** The effective privileges of {@code name} and its stored password hash, read together. */
  Optional<Resolved> resolve(String name) {
    return database.read(db -> {
      Set<Privilege> own = privileges(db, name);
      if (own == null) {
        return Optional.empty();
      }
      Set<String> roles = memberOfTransitively(db, name);
      Set<Privilege> all = Privilege.copyOf(own);
      for (String role : roles) {
        all.addAll(privileges(db, role));
      }
      boolean admin = name.equals(ADMIN) || roles.contains(ADMIN);
      if (admin) {
        all.add(Privilege.VIEWACTIVITY);
        all.add(Privilege.CANCELQUERY);
      }
      // LOGIN is a property of the role itself, never inherited.
      if (!own.contains(Privilege.LOGIN)) {
        all.remove(Privilege.LOGIN);
      }
      int[] limits = limits(db, name);
      return Optional.of(new Resolved(new Principal(name, admin, all, limits[0], limits[1]),
          passwordHash(db, name)));
    });
  }

  /** A role as {@link #resolve} reads it. */
  record Resolved(Principal principal, String passwordHash) {
  }

  private static String column(Privilege privilege) {
    return privilege.name().toLowerCase(Locale.ROOT);
  }

  /** The role's own CONNECTION LIMIT and QUERY LIMIT, never inherited. */
  private static int[] limits(Connection db, String name) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(
        "SELECT connection_limit, query_limit FROM roles WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new int[] {rs.getInt(1), rs.getInt(2)}
            : new int[] {Principal.UNLIMITED, Principal.UNLIMITED};
      }
    }
  }

  private static String passwordHash(Connection db, String user) throws SQLException {
    try (PreparedStatement st =
             db.prepareStatement("SELECT password_hash FROM roles WHERE name = ?")) {
      st.setString(1, user);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString("password_hash") : null;
      }
    }
  }

  private static List<Membership> memberships(Connection db) throws SQLException {
    List<Membership> list = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT role, member FROM role_members ORDER BY role, member")) {
      while (rs.next()) {
        list.add(new Membership(rs.getString("role"), rs.getString("member")));
      }
    }
    return list;
  }

  /**
   * ALTER ROLE name SET variable = value (the value as SHOW displays it, already validated),
   * RESET variable ({@code value} null) or RESET ALL ({@code variable} null as well).
   */
  public void changeSetting(String name, boolean ifExists, String variable, String value) {
    database.transaction(db -> {
      if (!exists(db, name)) {
        if (ifExists) {
          return null;
        }
        throw missing(name);
      }
      try (PreparedStatement st = db.prepareStatement(variable == null
          ? "DELETE FROM role_settings WHERE role_name = ?"
          : "DELETE FROM role_settings WHERE role_name = ? AND variable = ?")) {
        st.setString(1, name);
        if (variable != null) {
          st.setString(2, variable);
        }
        st.executeUpdate();
      }
      if (value != null) {
        try (PreparedStatement st = db.prepareStatement(
            "INSERT INTO role_settings (role_name, variable, setting_value) VALUES (?, ?, ?)")) {
          st.setString(1, name);
          st.setString(2, variable);
          st.setString(3, value);
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Every role's settings, by role and variable. */
  public List<RoleSetting> settings() {
    return database.read(db -> {
      List<RoleSetting> list = new ArrayList<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT "
          + "role_name, variable, setting_value FROM role_settings ORDER BY role_name, variable")) {
        while (rs.next()) {
          list.add(new RoleSetting(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      return list;
    });
  }

  /** The settings of {@code name}, variable to value, read at each login. */
  public Map<String, String> settingsOf(String name) {
    return database.read(db -> {
      Map<String, String> settings = new TreeMap<>();
      try (PreparedStatement st = db.prepareStatement(
          "SELECT variable, setting_value FROM role_settings WHERE role_name = ?")) {
        st.setString(1, name);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            settings.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return settings;
    });
  }

  private static boolean exists(Connection db, String name) throws SQLException {
    return privileges(db, name) != null;
  }

  private static void requireExists(Connection db, String name) throws SQLException {
    if (!exists(db, name)) {
      throw missing(name);
    }
  }

  private static QuellException missing(String name) {
    return new QuellException(SqlState.UNDEFINED_OBJECT, "role " + name + " does not exist");
  }

  /** The stored privileges of {@code name}, or null if there is no such role. */
  private static Set<Privilege> privileges(Connection db, String name) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(
        "SELECT " + PRIVILEGE_COLUMNS + " FROM roles WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? readPrivileges(rs) : null;
      }
    }
  }

  private static Set<Privilege> readPrivileges(ResultSet rs) throws SQLException {
    Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
    for (Privilege privilege : PRIVILEGES) {
      if (rs.getBoolean(column(privilege))) {
        privileges.add(privilege);
      }
    }
    return privileges;
  }

  /**
   * Binds one parameter per privilege column, in {@link #PRIVILEGE_COLUMNS} order, from
   * parameter {@code first} on; returns the next parameter's index.
   */
  private static int bindPrivileges(PreparedStatement st, int first, Set<Privilege> privileges)
      throws SQLException {
    int index = first;
    for (Privilege privilege : PRIVILEGES) {
      st.setBoolean(index++, privileges.contains(privilege));
    }
    return index;
  }

  private static void insertRole(Connection db, String name, Set<Privilege> privileges,
      String passwordHash) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("INSERT INTO roles (name, password_hash, "
        + PRIVILEGE_COLUMNS + ") VALUES (?, ?"
        + ", ?".repeat(PRIVILEGES.size()) + ")")) {
      st.setString(1, name);
      st.setString(2, passwordHash);
      bindPrivileges(st, 3, privileges);
      st.executeUpdate();
    }
  }

  private static void insertMembership(Connection db, String role, String member)
      throws SQLException {
    try (PreparedStatement st =
             db.prepareStatement("INSERT INTO role_members (role, member) VALUES (?, ?)")) {
      st.setString(1, role);
      st.setString(2, member);
      st.executeUpdate();
    }
  }

  private static Set<String> directRoles(Connection db, String member) throws SQLException {
    Set<String> roles = new HashSet<>();
    try (PreparedStatement st =
             db.prepareStatement("SELECT role FROM role_members WHERE member = ?")) {
      st.setString(1, member);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          roles.add(rs.getString("role"));
        }
      }
    }
    return roles;
  }

  /** Every role {@code name} belongs to, directly or through other roles. */
  private static Set<String> memberOfTransitively(Connection db, String name)
      throws SQLException {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      for (String role : directRoles(db, todo.pop())) {
        if (seen.add(role)) {
          todo.push(role);
        }
      }
    }
    return seen;
  }
}
