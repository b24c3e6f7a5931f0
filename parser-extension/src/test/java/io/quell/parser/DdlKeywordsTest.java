package io.quell.parser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DDL and session control told by the first keyword, past blanks, comments and parentheses. */
class DdlKeywordsTest {
  @Test void ddlAndSessionControl() {
    for (String sql : new String[] {"CANCEL QUERY 'x'", "  cancel sessions (show sessions)",
        "/* from the console */ CANCEL SESSION ?", "-- note\nSET statement_timeout = 5",
        "(reset all)", "Create user u", "ALTER ROLE r LOGIN", "drop view v", "GRANT a TO b",
        "revoke a from b", "/*a='1'*/\n\tcreate view v as select 1", "Drain Node"}) {
      assertTrue(DdlKeywords.startsDdl(sql), sql);
    }
  }

  @Test void queriesAndTheRest() {
    for (String sql : new String[] {"SELECT 1", "SHOW SESSIONS", "WITH x AS (VALUES 1) TABLE x",
        "(SELECT 1)", "VALUES 1", "", "/* unterminated", "--", "cancelled", "settle",
        "SELECT 'cancel'", "EXPLAIN PLAN FOR SELECT 1", "drained"}) {
      assertFalse(DdlKeywords.startsDdl(sql), sql);
    }
  }
}
