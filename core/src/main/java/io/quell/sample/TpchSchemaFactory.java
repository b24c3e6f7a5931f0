package io.quell.sample;

import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.SchemaPlus;

import java.util.Map;

/**
 * Lets a Calcite model use the sample data:
 * {@code {"type": "custom", "factory": "io.quell.sample.TpchSchemaFactory",
 * "operand": {"scale": 0.1}}}.
 */
public final class TpchSchemaFactory implements SchemaFactory {
  @Override public Schema create(SchemaPlus parentSchema, String name,
      Map<String, Object> operand) {
    Object scale = operand.getOrDefault("scale", 1.0);
    return new TpchSchema(Double.parseDouble(scale.toString()));
  }
}
