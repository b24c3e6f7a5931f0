package io.quell.client;

import org.apache.calcite.avatica.ConnectionConfigImpl;

import java.util.Properties;

/**
 * Avatica's view of a connection's properties, with the two that every statement reads kept
 * after their first read. Avatica makes a new view at each {@code config()} call and parses
 * all the properties again for each property read; a statement reads the fetch size when it
 * is made and the time zone for each result set, which made the parsing a tenth of an
 * embedded {@code SELECT 1}. A connection's properties do not change after it opens.
 */
final class QuellConnectionConfig extends ConnectionConfigImpl {
  private final int fetchSize;
  private final String timeZone;

  QuellConnectionConfig(Properties properties) {
    super(properties);
    this.fetchSize = super.fetchSize();
    this.timeZone = super.timeZone();
  }

  @Override public int fetchSize() {
    return fetchSize;
  }

  @Override public String timeZone() {
    return timeZone;
  }
}
