package io.quell.execution.source;

import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.model.JsonCustomSchema;
import org.apache.calcite.model.JsonJdbcSchema;
import org.apache.calcite.model.JsonSchema;
import org.apache.calcite.model.ModelHandler;
import org.apache.calcite.schema.SchemaPlus;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Calcite model as Calcite does, except that its JDBC schemas, {@code "type": "jdbc"}
 * or a custom schema of {@link JdbcSchema.Factory}, are built by
 * {@link JdbcSourceSchemaFactory}, so that cancelling a query cancels its statements in their
 * databases.
 */
public final class SourceModelHandler extends ModelHandler {
  private static final String CALCITE_FACTORY = JdbcSchema.Factory.class.getName();

  public SourceModelHandler(SchemaPlus rootSchema, String uri) throws IOException {
    super(rootSchema, uri);
  }

  @Override public void visit(JsonJdbcSchema jsonSchema) {
    Map<String, Object> operand = new LinkedHashMap<>();
    put(operand, "jdbcUrl", jsonSchema.jdbcUrl);
    put(operand, "jdbcDriver", jsonSchema.jdbcDriver);
    put(operand, "jdbcUser", jsonSchema.jdbcUser);
    put(operand, "jdbcPassword", jsonSchema.jdbcPassword);
    put(operand, "jdbcCatalog", jsonSchema.jdbcCatalog);
    put(operand, "jdbcSchema", jsonSchema.jdbcSchema);
    put(operand, "sqlDialectFactory", jsonSchema.sqlDialectFactory);
    super.visit(cancellable(jsonSchema, operand));
  }

  @Override public void visit(JsonCustomSchema jsonSchema) {
    if (!CALCITE_FACTORY.equals(jsonSchema.factory)) {
      super.visit(jsonSchema);
      return;
    }
    JsonCustomSchema custom = cancellable(jsonSchema, jsonSchema.operand);
    custom.tables.addAll(jsonSchema.tables);
    custom.types.addAll(jsonSchema.types);
    custom.functions.addAll(jsonSchema.functions);
    super.visit(custom);
  }

  /** A schema of {@link JdbcSourceSchemaFactory} in place of {@code jdbc}. */
  private static JsonCustomSchema cancellable(JsonSchema jdbc, Map<String, Object> operand) {
    JsonCustomSchema custom = new JsonCustomSchema(jdbc.name, jdbc.path, jdbc.cache,
        jdbc.autoLattice, JdbcSourceSchemaFactory.class.getName(), operand);
    custom.materializations.addAll(jdbc.materializations);
    custom.lattices.addAll(jdbc.lattices);
    return custom;
  }

  /** Calcite's operand map holds no nulls; an absent key reads as null all the same. */
  private static void put(Map<String, Object> operand, String key, String value) {
    if (value != null) {
      operand.put(key, value);
    }
  }
}
