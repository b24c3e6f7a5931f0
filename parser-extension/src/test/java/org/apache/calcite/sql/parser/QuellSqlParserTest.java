package org.apache.calcite.sql.parser;

import io.quell.parser.impl.QuellSqlParserImpl;


import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Calcite's whole standard parser suite, run against Quell's parser, the way Calcite's server
 * module runs it for its DDL parser: Quell's grammar must accept everything Calcite's does.
 * It sits in Calcite's package because the suite's test methods are package-private and one
 * of them has to be overridden.
 */
class QuellSqlParserTest extends SqlParserTest {
  @Override public SqlParserFixture fixture() {
    return super.fixture()
        .withConfig(c -> c.withParserFactory(QuellSqlParserImpl.FACTORY));
  }

  /**
   * Not Quell's doing: calcite-testkit's newest release is 1.41.0, and this case pins the
   * expected-token list of 1.41's grammar. Calcite 1.42's own stock parser fails it the same
   * way (checked by running the unmodified SqlParserTest against calcite-core 1.42).
   */
  @Disabled("calcite-testkit 1.41.0 vs calcite-core 1.42.0 expected-token list")
  @Test @Override void testUnparseableIntervalQualifiers() {
  }
}
