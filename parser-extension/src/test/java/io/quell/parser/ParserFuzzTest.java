package io.quell.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.parser.impl.QuellSqlParserImpl;

import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Feeds fuzzed statements to Quell's parser: each either parses or fails with a
 * {@link SqlParseException}; no other exception, no hang. {@value #DEFAULT_STATEMENTS} in
 * {@code mvn verify}; the long mode {@code -Dquell.fuzz.parser.statements=100000} takes about
 * 80 s on a loaded 2-core box, because Calcite computes the expected tokens of every parse error.
 * The seed is fixed ({@code -Dquell.fuzz.seed} to change it) so that a failure replays.
 */
class ParserFuzzTest {
  static final int DEFAULT_STATEMENTS = 25_000;

  @Test @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void parserOnlyThrowsParseErrors() {
    int count = Integer.getInteger("quell.fuzz.parser.statements", DEFAULT_STATEMENTS);
    long seed = Long.getLong("quell.fuzz.seed", 20261129L);
    StatementFuzzer fuzzer =
        new StatementFuzzer(seed, SessionControlParserTest.SEED_PAGE_STATEMENTS);
    SqlParser.Config config = SqlParser.config().withParserFactory(QuellSqlParserImpl.FACTORY);
    List<String> escapes = new ArrayList<>();
    int parsed = 0;
    long slowestNanos = 0;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String sql = fuzzer.next();
      long t0 = System.nanoTime();
      try {
        SqlParser.create(sql, config).parseStmt();
        parsed++;
      } catch (SqlParseException expected) {
        // the only way a statement may fail to parse
      } catch (RuntimeException | Error e) {
        if (escapes.size() < 10) {
          escapes.add("[" + sql + "] -> " + e);
        }
      }
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("parser fuzz: %d statements (%d parsed), %d ms, %.0f statements/s, "
        + "slowest %.1f ms, seed %d%n", count, parsed, ms, count * 1000.0 / Math.max(ms, 1),
        slowestNanos / 1e6, seed);
    assertEquals(List.of(), escapes, "statements that escaped with a non-parse error");
    // a fuzzer whose every output is rejected (or accepted) explores nothing
    assertTrue(parsed > count / 20 && parsed < count - count / 20, "parsed " + parsed);
  }
}
