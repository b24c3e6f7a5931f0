package io.quell.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * The baseline engine: stock Calcite over Quell's sample TPC-H schema at the same scale, with
 * the same identifier casing as Quell, and nothing of Quell's around it.
 */
final class PlainCalcite {
  static final String URL = "jdbc:calcite:";

  private PlainCalcite() {
  }

  static Properties properties(double scale) {
    Properties props = new Properties();
    props.setProperty("model", String.format(Locale.ROOT, "inline:{\"version\": \"1.0\", "
        + "\"defaultSchema\": \"tpch\", \"schemas\": [{\"name\": \"tpch\", \"type\": \"custom\", "
        + "\"factory\": \"io.quell.sample.TpchSchemaFactory\", \"operand\": {\"scale\": %s}}]}",
        scale));
    props.setProperty("unquotedCasing", "TO_LOWER");
    props.setProperty("caseSensitive", "false");
    return props;
  }

  static Connection connect(double scale) throws SQLException {
    return DriverManager.getConnection(URL, properties(scale));
  }
}
