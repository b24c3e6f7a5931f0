package io.quell.execution.plan;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.tools.RelRunner;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

/**
 * A statement's preparation context with the engine's configuration in place of the one
 * Calcite makes from the connection's properties, which can name a conformance and operator
 * tables only among Calcite's own: parsing, validation and planning all read it from here.
 */
final class ConfiguredContext implements CalcitePrepare.Context {
  private final CalcitePrepare.Context context;
  private final CalciteConnectionConfig config;

  private ConfiguredContext(CalcitePrepare.Context context, CalciteConnectionConfig config) {
    this.context = context;
    this.config = config;
  }

  /** {@code context} with {@code config}; a context that has it already is returned as is. */
  static CalcitePrepare.Context of(CalcitePrepare.Context context,
      CalciteConnectionConfig config) {
    return context.config() == config ? context : new ConfiguredContext(context, config);
  }

  @Override public CalciteConnectionConfig config() {
    return config;
  }

  @Override public JavaTypeFactory getTypeFactory() {
    return context.getTypeFactory();
  }

  @Override public CalciteSchema getRootSchema() {
    return context.getRootSchema();
  }

  @Override public CalciteSchema getMutableRootSchema() {
    return context.getMutableRootSchema();
  }

  @Override public List<String> getDefaultSchemaPath() {
    return context.getDefaultSchemaPath();
  }

  @Override public CalcitePrepare.SparkHandler spark() {
    return context.spark();
  }

  @Override public DataContext getDataContext() {
    return context.getDataContext();
  }

  @Override public @Nullable List<String> getObjectPath() {
    return context.getObjectPath();
  }

  @Override public RelRunner getRelRunner() {
    return context.getRelRunner();
  }
}
