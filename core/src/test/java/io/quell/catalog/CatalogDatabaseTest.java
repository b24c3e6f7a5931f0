package io.quell.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.error.QuellException;
import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;
import io.quell.testing.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The catalog's database: created and migrated by Flyway on H2 and on a real PostgreSQL
 * server, a catalog of an earlier Quell opened with its rows, and the errors an operator sees
 * when the database goes away.
 */
class CatalogDatabaseTest {
  private static final PrivilegeChange NONE = new PrivilegeChange(Set.of(), Set.of());

  @TempDir Path dir;

  @Test void aCatalogOfAQuellBeforeFlywayOpensWithItsRows() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE";
    // The tables as the first releases created them: no connection limit, no cancel message,
    // no views.
    try (Connection old = DriverManager.getConnection(url); Statement st = old.createStatement()) {
      st.execute("CREATE TABLE roles (name VARCHAR(128) PRIMARY KEY, login BOOLEAN NOT NULL, "
          + "viewactivity BOOLEAN NOT NULL, viewactivityredacted BOOLEAN NOT NULL, "
          + "cancelquery BOOLEAN NOT NULL, password_hash VARCHAR(200))");
      st.execute("CREATE TABLE role_members (role VARCHAR(128) NOT NULL, "
          + "member VARCHAR(128) NOT NULL, PRIMARY KEY (role, member))");
      st.execute("CREATE TABLE cancellations (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
          + "time TIMESTAMP NOT NULL, canceled_by VARCHAR(128) NOT NULL, "
          + "target VARCHAR(16) NOT NULL, target_id VARCHAR(32) NOT NULL, "
          + "target_user VARCHAR(128) NOT NULL, cause VARCHAR(32) NOT NULL, "
          + "statement VARCHAR(1000000))");
      st.execute("INSERT INTO roles VALUES ('admin', FALSE, FALSE, FALSE, FALSE, NULL)");
      st.execute("INSERT INTO roles VALUES ('root', TRUE, FALSE, FALSE, FALSE, '"
          + PasswordHasher.hash("old-root-pw") + "')");
      st.execute("INSERT INTO role_members VALUES ('admin', 'root')");
      st.execute("INSERT INTO cancellations (time, canceled_by, target, target_id, target_user, "
          + "cause, statement) VALUES (TIMESTAMP '2026-01-02 03:04:05', 'root', 'QUERY', "
          + "'00000000000000010000000000000007', 'alice', 'STATEMENT', 'SELECT 1')");
    }
    try (UserCatalog catalog = UserCatalog.open(url, null, null, null)) {
      assertTrue(catalog.roles().bootstrap(null).generatedRootPassword().isEmpty(),
          "root was there already");
      assertTrue(catalog.principals().authenticate("root", "old-root-pw").orElseThrow()
          .isAdmin());
      assertEquals(Principal.UNLIMITED, catalog.roles().list().stream()
          .filter(r -> r.name().equals("root")).findFirst().orElseThrow().connectionLimit());
      CancellationRecord old = catalog.audit().list().get(0);
      assertEquals("alice", old.targetUser());
      assertEquals(null, old.message());
      catalog.views().create(new ViewDefinition("s", "v", "SELECT 1"), false);
      catalog.roles().create("erin", true, false, NONE, PasswordChange.set("pw"),
          new LimitChange(3, null));
    }
    assertEquals(List.of("0", "1", "2", "3", "4", "5"), versions(url, null));
    // Opened again, nothing is migrated twice and everything is kept.
    try (UserCatalog catalog = UserCatalog.open(url, null, null, null)) {
      assertEquals(List.of(new ViewDefinition("s", "v", "SELECT 1")),
          catalog.views().inSchema("s"));
      assertTrue(catalog.principals().authenticate("erin", "pw").isPresent());
    }
    assertEquals(List.of("0", "1", "2", "3", "4", "5"), versions(url, null));
  }

  @Test void anEmptyH2CatalogGetsTheSchemaFromTheMigrations() throws Exception {
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      assertTrue(catalog.roles().bootstrap(null).generatedRootPassword().isPresent());
    }
    assertEquals(List.of("1", "2", "3", "4", "5"), versions("jdbc:h2:file:" + dir.resolve("catalog"), null));
  }

  @Test void aCatalogOnPostgresqlKeepsUsersViewsAndTheAudit() throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      try (UserCatalog catalog = open(pg)) {
        String root = catalog.roles().bootstrap(null).generatedRootPassword().orElseThrow();
        catalog.roles().create("alice", true, false, NONE, PasswordChange.set("alice-pw"),
            new LimitChange(2, null));
        catalog.roles().grant(List.of(RoleStore.ADMIN), List.of("alice"));
        catalog.views().create(new ViewDefinition("s", "Recent", "SELECT 1"), false);
        catalog.audit().record(new CancellationRecord(Instant.parse("2026-12-01T18:00:00Z"),
            "root", ActivityKind.SESSION, "00000000000000010000000000000009", "alice",
            CancelCause.STATEMENT, null, "maintenance"));
        catalog.roles().changeSetting("alice", false, "statement_timeout", "5s");
        assertTrue(catalog.principals().authenticate("root", root).orElseThrow().isAdmin());
      }
      try (UserCatalog catalog = open(pg)) {
        assertTrue(catalog.roles().bootstrap(null).generatedRootPassword().isEmpty());
        assertTrue(catalog.principals().authenticate("alice", "alice-pw").orElseThrow()
            .isAdmin());
        QuellException taken = assertThrows(QuellException.class, () ->
            catalog.views().create(new ViewDefinition("s", "RECENT", "SELECT 2"), false));
        assertEquals("42P07", taken.sqlState().code());
        CancellationRecord r = catalog.audit().list().get(0);
        assertEquals(Instant.parse("2026-12-01T18:00:00Z"), r.time());
        assertEquals("maintenance", r.message());
        assertEquals(java.util.Map.of("statement_timeout", "5s"),
            catalog.roles().settingsOf("alice"));
      }
      assertEquals(List.of("1", "2", "3", "4", "5"), versions(pg.jdbcUrl(), PostgresServer.USER));
    }
  }

  @Test void aLostPostgresqlConnectionFails08006OnceAndIsReopened() throws Exception {
    try (PostgresServer pg = PostgresServer.start(); UserCatalog catalog = open(pg)) {
      catalog.roles().bootstrap("root-pw");
      try (Connection admin = pg.connect(); Statement st = admin.createStatement()) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            + "WHERE application_name = 'PostgreSQL JDBC Driver' AND pid <> pg_backend_pid()");
      }
      QuellException lost = assertThrows(QuellException.class, () -> catalog.roles().list());
      assertEquals("08006", lost.sqlState().code(), lost.getMessage());
      assertTrue(lost.getMessage().startsWith("lost the connection to the user catalog: "),
          lost.getMessage());
      assertTrue(catalog.roles().list().stream().anyMatch(r -> r.name().equals("root")),
          "the next call reconnects");
    }
  }

  @Test void anUnreachableCatalogFails08001AndABadUrl0A000() throws Exception {
    String url;
    try (PostgresServer pg = PostgresServer.start()) {
      url = pg.jdbcUrl();
    }
    QuellException down = assertThrows(QuellException.class,
        () -> UserCatalog.open(url, PostgresServer.USER, "", null));
    assertEquals("08001", down.sqlState().code(), down.getMessage());
    assertTrue(down.getMessage().startsWith("cannot reach the user catalog: "),
        down.getMessage());
    QuellException other = assertThrows(QuellException.class,
        () -> UserCatalog.open("jdbc:mysql://127.0.0.1/quell", null, null, null));
    assertEquals("0A000", other.sqlState().code());
    assertTrue(other.getMessage().contains("must be an H2 (jdbc:h2:...) or PostgreSQL"),
        other.getMessage());
  }

  private static UserCatalog open(PostgresServer pg) {
    return UserCatalog.open(pg.jdbcUrl(), PostgresServer.USER, "", null);
  }

  /**
   * The versions in Flyway's schema history, in the order applied; on H2 it also has a row
   * without a version for the schema itself.
   */
  private static List<String> versions(String url, String user) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, "");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" "
             + "WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
