package io.quell.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.error.QuellException;
import io.quell.error.SqlState;
import io.quell.parser.RoleOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

class UserCatalogTest {
  @TempDir Path dir;

  @Test void bootstrapOnceAndSurviveRestart() {
    String generated;
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      generated = catalog.bootstrap(null).generatedRootPassword().orElseThrow();
      assertTrue(generated.length() >= 16);
      catalog.createRole("alice", true, false, EnumSet.of(RoleOption.VIEWACTIVITY),
          PasswordChange.set("pw"));
      catalog.createRole("ops", false, false, EnumSet.of(RoleOption.CANCELQUERY),
          PasswordChange.UNCHANGED);
      catalog.grant(List.of("ops"), List.of("alice"));
    }
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      assertTrue(catalog.bootstrap(null).generatedRootPassword().isEmpty());
      assertTrue(catalog.authenticate("root", generated).orElseThrow().isAdmin());
      Principal alice = catalog.authenticate("alice", "pw").orElseThrow();
      assertTrue(alice.viewActivity() && alice.cancelQuery() && !alice.isAdmin());
      assertFalse(catalog.authenticate("alice", "wrong").isPresent());
      assertFalse(catalog.authenticate("nobody", "pw").isPresent());
      assertFalse(catalog.authenticate("ops", "").isPresent(), "NOLOGIN role");
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
      catalog.bootstrap("pw");
      catalog.createRole("a", true, false, Set.of(), PasswordChange.UNCHANGED);
      QuellException dup = assertThrows(QuellException.class, () ->
          catalog.createRole("a", true, false, Set.of(), PasswordChange.UNCHANGED));
      assertEquals(SqlState.DUPLICATE_OBJECT, dup.sqlState());
      catalog.createRole("a", true, true, Set.of(), PasswordChange.UNCHANGED);
      QuellException missing = assertThrows(QuellException.class,
          () -> catalog.dropRoles(List.of("a", "ghost"), false));
      assertEquals(SqlState.UNDEFINED_OBJECT, missing.sqlState());
      assertTrue(catalog.principal("a").isPresent(), "DROP of a and ghost must drop neither");
      assertThrows(QuellException.class, () -> catalog.dropRoles(List.of("root"), false));
      catalog.createRole("b", false, false, Set.of(), PasswordChange.UNCHANGED);
      catalog.grant(List.of("b"), List.of("a"));
      QuellException cycle = assertThrows(QuellException.class,
          () -> catalog.grant(List.of("a"), List.of("b")));
      assertEquals(SqlState.INVALID_GRANT_OPERATION, cycle.sqlState());
      catalog.dropRoles(List.of("a", "b"), false);
      assertEquals(List.of(new Membership("admin", "root")), catalog.memberships());
    }
  }
}
