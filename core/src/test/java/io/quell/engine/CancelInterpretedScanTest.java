package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calcite runs scans of projectable-filterable tables through its interpreter, not generated
 * code; a cancel stops those too, filter and all.
 */
@Timeout(60)
class CancelInterpretedScanTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach void start() throws Exception {
    Path model = dir.resolve("model.json");
    Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"endless\", "
        + "\"schemas\": [{\"name\": \"endless\", \"type\": \"custom\", \"factory\": \""
        + EndlessSchema.class.getName() + "\"}]}");
    f = new EngineFixture(EngineConfig.builder().dataDir(dir.resolve("data")).model(model));
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void statementTimeoutStopsAnInterpretedScan() throws Exception {
    Connection c = f.connect("root");
    String sql = "SELECT COUNT(*) FROM numbers WHERE MOD(n, 7) = 8 AND n > 0";
    // The table handles no filter, so the interpreter filters: no row ever passes.
    String plan = (String) column(c, "EXPLAIN PLAN FOR " + sql).get(0);
    assertTrue(plan.contains("EnumerableInterpreter"), plan);
    update(c, "SET statement_timeout = '300ms'");
    long start = System.nanoTime();
    String message = failsWith("57014", () -> column(c, sql));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(message.contains("statement timeout"), message);
    assertTrue(ms < 1300, "stopped after " + ms + " ms");
    update(c, "RESET statement_timeout");
    assertEquals(List.of(1), column(c, "SELECT 1"));
  }

  /** A schema with one table of all natural numbers. */
  public static final class EndlessSchema implements SchemaFactory {
    @Override public Schema create(SchemaPlus parent, String name, Map<String, Object> operand) {
      return new AbstractSchema() {
        @Override protected Map<String, Table> getTableMap() {
          return Map.of("numbers", new Numbers());
        }
      };
    }
  }

  /** 0, 1, 2, ... for ever; filters and projections are left to Calcite. */
  static final class Numbers extends AbstractTable implements ProjectableFilterableTable {
    @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return typeFactory.builder().add("n", SqlTypeName.BIGINT).build();
    }

    @Override public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters,
        int[] projects) {
      return new AbstractEnumerable<Object[]>() {
        @Override public Enumerator<Object[]> enumerator() {
          return new Enumerator<Object[]>() {
            long next = -1;

            @Override public Object[] current() {
              return new Object[] {next};
            }

            @Override public boolean moveNext() {
              next++;
              return true;
            }

            @Override public void reset() {
              next = -1;
            }

            @Override public void close() {
            }
          };
        }
      };
    }
  }
}
