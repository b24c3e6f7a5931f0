package io.quell.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

class UserCatalogTest {
  private static final PrivilegeChange NONE = new PrivilegeChange(Set.of(), Set.of());

  @TempDir Path dir;

  private static PrivilegeChange grant(Privilege privilege) {
    return new PrivilegeChange(Set.of(privilege), Set.of());
  }

  @Test void bootstrapOnceAndSurviveRestart() {
    String generated;
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      generated = catalog.roles().bootstrap(null).generatedRootPassword().orElseThrow();
      assertTrue(generated.length() >= 16);
      catalog.roles().create("alice", true, false, grant(Privilege.VIEWACTIVITY),
          PasswordChange.set("pw"), LimitChange.NONE);
      catalog.roles().create("ops", false, false, grant(Privilege.CANCELQUERY),
          PasswordChange.UNCHANGED, LimitChange.NONE);
      catalog.roles().grant(List.of("ops"), List.of("alice"));
    }
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      assertTrue(catalog.roles().bootstrap(null).generatedRootPassword().isEmpty());
      PrincipalCache principals = catalog.principals();
      assertTrue(principals.authenticate("root", generated).orElseThrow().isAdmin());
      Principal alice = principals.authenticate("alice", "pw").orElseThrow();
      assertTrue(alice.has(Privilege.VIEWACTIVITY) && alice.has(Privilege.CANCELQUERY)
          && !alice.isAdmin());
      assertFalse(principals.authenticate("alice", "wrong").isPresent());
      assertFalse(principals.authenticate("nobody", "pw").isPresent());
      assertFalse(principals.authenticate("ops", "").isPresent(), "NOLOGIN role");
    }
  }

  @Test void hashesAreSaltedSlowAndSelfDescribing() {
    String a = PasswordHasher.hash("same");
    String b = PasswordHasher.hash("same");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("pbkdf2-sha256$" + PasswordHasher.ITERATIONS + "$"), a);
    assertTrue(PasswordHasher.verify("same", a));
    assertFalse(PasswordHasher.verify("other", a));
    long start = System.nanoTime();
    PasswordHasher.verify("same", a);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("PBKDF2 verify: " + ms + " ms");
    assertTrue(ms >= 50, "a guess must cost at least 50 ms, took " + ms);
  }

  @Test void errorsChangeNothing() {
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      RoleStore roles = catalog.roles();
      roles.bootstrap("pw");
      roles.create("a", true, false, NONE, PasswordChange.UNCHANGED, LimitChange.NONE);
      QuellException dup = assertThrows(QuellException.class, () ->
          roles.create("a", true, false, NONE, PasswordChange.UNCHANGED, null));
      assertEquals(SqlState.DUPLICATE_OBJECT, dup.sqlState());
      roles.create("a", true, true, NONE, PasswordChange.UNCHANGED, LimitChange.NONE);
      QuellException missing = assertThrows(QuellException.class,
          () -> roles.drop(List.of("a", "ghost"), false));
      assertEquals(SqlState.UNDEFINED_OBJECT, missing.sqlState());
      assertTrue(catalog.principals().principal("a").isPresent(),
          "DROP of a and ghost must drop neither");
      assertThrows(QuellException.class, () -> roles.drop(List.of("root"), false));
      roles.create("b", false, false, NONE, PasswordChange.UNCHANGED, LimitChange.NONE);
      roles.grant(List.of("b"), List.of("a"));
      QuellException cycle = assertThrows(QuellException.class,
          () -> roles.grant(List.of("a"), List.of("b")));
      assertEquals(SqlState.INVALID_GRANT_OPERATION, cycle.sqlState());
      roles.drop(List.of("a", "b"), false);
      assertEquals(List.of(new Membership("admin", "root")), roles.memberships());
    }
  }

  @Test void viewsChangeAllOrNothingAndSurviveRestart() {
    ViewDefinition v = new ViewDefinition("s", "v", "SELECT 3");
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      ViewStore views = catalog.views();
      views.create(new ViewDefinition("s", "v", "SELECT 1"), false);
      views.create(new ViewDefinition("t", "V", "SELECT 2"), false);
      // One name per schema whatever its case; OR REPLACE keeps the name as first spelled.
      QuellException duplicate = assertThrows(QuellException.class,
          () -> views.create(new ViewDefinition("s", "V", "SELECT 3"), false));
      assertEquals(SqlState.DUPLICATE_TABLE, duplicate.sqlState());
      assertEquals(List.of(new ViewDefinition("s", "v", "SELECT 1")), views.inSchema("s"));
      views.create(new ViewDefinition("s", "V", "SELECT 3"), true);
      assertEquals(List.of(v), views.inSchema("s"));
      QuellException missing = assertThrows(QuellException.class,
          () -> views.drop("s", "w", false));
      assertEquals(SqlState.UNDEFINED_TABLE, missing.sqlState());
      views.drop("s", "w", true);
      views.drop("u", "v", true);
    }
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      assertEquals(List.of(v), catalog.views().inSchema("s"));
      catalog.views().drop("s", "V", false);
      assertEquals(List.of(), catalog.views().inSchema("s"));
      assertEquals(List.of(new ViewDefinition("t", "V", "SELECT 2")),
          catalog.views().inSchema("t"));
    }
  }

  @Test void aViewMadeThroughOneCatalogIsReadThroughAnotherWithinTheirTtl() throws Exception {
    String url = "jdbc:h2:mem:views-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    try (UserCatalog a = UserCatalog.open(url, null, null, Duration.ofMillis(200));
         UserCatalog b = UserCatalog.open(url, null, null, Duration.ofMillis(200))) {
      assertEquals(List.of(), b.views().inSchema("s"));
      ViewDefinition v = new ViewDefinition("s", "v", "SELECT 1");
      a.views().create(v, false);
      assertEquals(List.of(v), a.views().inSchema("s"));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (b.views().inSchema("s").isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "b never read the view a made");
        Thread.sleep(20);
      }
      assertEquals(List.of(v), b.views().inSchema("s"));
    }
  }
}
