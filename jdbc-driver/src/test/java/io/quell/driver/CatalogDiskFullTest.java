package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The catalog's disk fills up under a live server: changes fail with 53100 and change
 * nothing, the server keeps answering and existing users keep logging in, and once there is
 * space again changes work and survive a restart.
 */
@Timeout(180)
class CatalogDiskFullTest {
  @TempDir Path dir;

  @AfterEach void spaceBack() {
    FullDiskFilePath.setFull(false);
  }

  @Test void fullDiskFailsChangesCleanlyAndRecovers() throws Exception {
    FullDiskFilePath.register();
    String url = "jdbc:h2:" + FullDiskFilePath.SCHEME + ":" + dir.resolve("catalog")
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    int created = 0;
    String failed;
    try (ServerFixture f = new ServerFixture(EngineConfig.builder().dataDir(dir)
        .catalogUrl(url))) {
      Connection root = f.root();
      update(root, "CREATE USER alice WITH PASSWORD 'alice'");
      f.connect("alice", "alice").close();
      List<String> before = ServerIntegrationTest.strings(root,
          "SELECT username FROM quell_internal.users ORDER BY username");

      FullDiskFilePath.setFull(true);
      SQLException error = null;
      // Space inside the file is reused until it runs out; then a change must fail.
      while (error == null && created < 500) {
        try {
          update(root, "CREATE USER filler" + created + " WITH PASSWORD 'x'");
          created++;
        } catch (SQLException e) {
          error = e;
        }
      }
      assertTrue(error != null, "the disk never filled up");
      assertEquals("53100", error.getSQLState(), error.getMessage());
      assertTrue(error.getMessage().contains("No space left on device"), error.getMessage());
      failed = "filler" + created;
      System.out.println("[disk] full after " + created + " more users: " + error.getMessage());

      // Still answering, existing users still log in, every change refused alike.
      assertEquals(List.of("1"), ServerIntegrationTest.strings(root, "SELECT 1"));
      f.connect("alice", "alice").close();
      SQLException grant = assertThrows(SQLException.class,
          () -> update(root, "GRANT admin TO alice"));
      assertEquals("53100", grant.getSQLState(), grant.getMessage());

      // Space is back: nothing half-done, and changes work again without a restart.
      FullDiskFilePath.setFull(false);
      assertFalse(users(root).contains(failed), "the failed change left a user");
      assertEquals(List.of(), ServerIntegrationTest.strings(root, "SELECT \"member\" FROM "
          + "quell_internal.grants WHERE \"member\" = 'alice' AND role_name = 'admin'"));
      update(root, "CREATE USER bob WITH PASSWORD 'bob'");
      update(root, "GRANT admin TO bob");
      f.connect("bob", "bob").close();
      assertTrue(users(root).containsAll(before));
    }
    // Nothing corrupted: a new server on the same catalog sees exactly the committed state.
    try (ServerFixture f = new ServerFixture(EngineConfig.builder().dataDir(dir)
        .catalogUrl(url))) {
      List<String> users = users(f.root());
      assertTrue(users.containsAll(List.of("alice", "bob", "root")), users.toString());
      assertFalse(users.contains(failed), users.toString());
      assertEquals(created + 3, users.stream().filter(u -> !u.equals("admin")).count(),
          users.toString());
      f.connect("bob", "bob").close();
    }
  }

  private static List<String> users(Connection root) throws SQLException {
    return ServerIntegrationTest.strings(root,
        "SELECT username FROM quell_internal.users ORDER BY username");
  }

}
