package io.quell.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Passwords never survive in a kept statement text; nothing else changes. */
class QueryRedactorTest {
  @Test void hidesEveryPasswordLiteral() {
    assertEquals("CREATE USER a WITH PASSWORD '*****' VIEWACTIVITY",
        QueryRedactor.hidePasswords("CREATE USER a WITH PASSWORD 'it''s secret' VIEWACTIVITY"));
    assertEquals("alter user \"Password\" password\n  '*****'",
        QueryRedactor.hidePasswords("alter user \"Password\" password\n  'x'"));
    assertEquals("ALTER USER a PASSWORD NULL", QueryRedactor.hidePasswords("ALTER USER a PASSWORD NULL"));
    assertEquals("SELECT 'PASSWORD', 'kept' FROM t WHERE password_hint = 'kept'",
        QueryRedactor.hidePasswords("SELECT 'PASSWORD', 'kept' FROM t WHERE password_hint = 'kept'"));
  }
}
