package io.quell.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements admission control lets through without queueing. */
class SessionControlStatementsTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "SHOW QUERIES", "show cluster sessions", "CANCEL QUERY '00000000000000000000000000000001'",
      "SET statement_timeout = '1s'", "RESET ALL", "CREATE USER u", "ALTER USER u QUERY LIMIT 2",
      "GRANT admin TO u", "DRAIN NODE", "ALTER SYSTEM SET max_running_queries = 3",
      "/* dash */ SELECT query_id FROM (SHOW QUERIES) q WHERE user_name = 'ann'",
      "SELECT * FROM quell_internal.node_queries",
      "select count(*) from QUELL_INTERNAL.NODE_SESSIONS s join quell_internal.node_queries q "
          + "on s.session_id = q.session_id",
      "SELECT * FROM (SELECT * FROM quell_internal.users ORDER BY 1) t",
      "SELECT * FROM quell_internal.users WHERE username IN "
          + "(SELECT user_name FROM quell_internal.node_sessions)",
      "SELECT username FROM quell_internal.users UNION SELECT user_name FROM (SHOW SESSIONS)",
      "TABLE quell_internal.cancellations"})
  void neverQueued(String sql) {
    assertTrue(SessionControlStatements.neverQueued(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1", "SELECT pg_sleep(10)", "SELECT 'show', pg_sleep(60)",
      "SELECT * FROM lineitem", "SELECT * FROM tpch.quell_internal_copy",
      "SELECT * FROM quell_internal.node_queries, lineitem",
      "SELECT * FROM (SHOW QUERIES) q JOIN orders o ON true",
      "SELECT * FROM quell_internal.users WHERE username IN (SELECT o_comment FROM orders)",
      "SELECT * FROM quell_internal.users UNION ALL SELECT c_name, '', '' FROM customer",
      "TABLE lineitem", "SELECT * FROM (TABLE lineitem) t JOIN quell_internal.users u ON true",
      "WITH x AS (SELECT * FROM lineitem) SELECT * FROM quell_internal.users, x",
      "SELECT * FROM quell_internal.users WHERE", "EXPLAIN PLAN FOR SELECT * FROM show_me",
      "VALUES (1)"})
  void queued(String sql) {
    assertFalse(SessionControlStatements.neverQueued(sql), sql);
  }
}
