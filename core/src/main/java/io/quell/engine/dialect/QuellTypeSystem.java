package io.quell.engine.dialect;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;

/**
 * Calcite's default type system but for one PostgreSQL rule: string literals of different
 * lengths in one CASE or UNION keep their own lengths, a VARCHAR, where Calcite pads them to
 * the longest as CHAR. {@code CASE k WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END} is
 * {@code 'view'}, not {@code 'view '}: psql's and every catalog browser's type labels are such
 * CASEs, and a client comparing them must see no padding. Named by the engine's
 * {@code typeSystem} connection property, which Calcite reads as a public static
 * {@code INSTANCE}.
 */
public final class QuellTypeSystem extends RelDataTypeSystemImpl {
  public static final QuellTypeSystem INSTANCE = new QuellTypeSystem();

  private QuellTypeSystem() {
  }

  @Override public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
