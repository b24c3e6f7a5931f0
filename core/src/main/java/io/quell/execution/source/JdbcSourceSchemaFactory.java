package io.quell.execution.source;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;

import java.util.Map;

/**
 * Calcite's JDBC schema, with the operands of {@link JdbcSchema.Factory}, on a
 * {@link CancellableDataSource}: a cancelled query's statements in the database are cancelled
 * there. Models get it for their {@code jdbc} schemas through {@link SourceModelHandler}.
 */
public final class JdbcSourceSchemaFactory implements SchemaFactory {
  @Override public Schema create(SchemaPlus parentSchema, String name,
      Map<String, Object> operand) {
    // Calcite reads the operand (the data source, pooled, and the dialect it detects through
    // it); only the data source the schema's queries use is replaced.
    JdbcSchema calcite = JdbcSchema.create(parentSchema, name, operand);
    Expression expression = Schemas.subSchemaExpression(parentSchema, name, JdbcSchema.class);
    return new JdbcSchema(new CancellableDataSource(calcite.getDataSource()), calcite.dialect,
        JdbcConvention.of(calcite.dialect, expression, name),
        (String) operand.get("jdbcCatalog"), (String) operand.get("jdbcSchema"));
  }
}
