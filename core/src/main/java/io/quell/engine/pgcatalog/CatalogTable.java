package io.quell.engine.pgcatalog;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A table of {@code pg_catalog} or {@code information_schema} with PostgreSQL's columns, declared
 * with PostgreSQL's type names ({@code "oid oid, relname name, relkind char"}) so that a
 * definition reads like PostgreSQL's documentation; its rows are computed at scan time from the
 * scanning session's {@link CatalogSnapshot}. Every column is nullable, as a value Quell has no
 * counterpart for is NULL; a column a row does not set takes PostgreSQL's neutral value for its
 * type (false, 0) or NULL, so that clients' filters such as {@code NOT attisdropped} or
 * {@code reloftype = 0} hold.
 */
final class CatalogTable extends AbstractTable implements ScannableTable {
  /** A column: its name, its Calcite type and, for an array, the type of its elements. */
  record Column(String name, SqlTypeName type, SqlTypeName elementType) {
  }

  private final List<Column> columns;
  private final Map<String, Integer> positions = new HashMap<>();
  private final BiConsumer<CatalogSnapshot, Rows> rows;

  /**
   * A table of {@code columns} ({@code "name type, ..."}, PostgreSQL's type names, {@code []}
   * for arrays) whose rows {@code rows} adds for a session's snapshot.
   */
  CatalogTable(String columns, BiConsumer<CatalogSnapshot, Rows> rows) {
    ImmutableList.Builder<Column> builder = ImmutableList.builder();
    for (String definition : columns.split(",")) {
      String[] parts = definition.trim().split(" ", 2);
      String type = parts[1].trim();
      boolean array = type.endsWith("[]") || type.endsWith("vector");
      String element = type.replace("[]", "").replace("vector", "");
      builder.add(array
          ? new Column(parts[0], SqlTypeName.ARRAY, calciteType(element))
          : new Column(parts[0], calciteType(type), null));
    }
    this.columns = builder.build();
    for (int i = 0; i < this.columns.size(); i++) {
      positions.put(this.columns.get(i).name(), i);
    }
    this.rows = rows;
  }

  /** A table with no rows: a catalog of something Quell does not have. */
  static CatalogTable empty(String columns) {
    return new CatalogTable(columns, (snapshot, rows) -> { });
  }

  /**
   * How Calcite holds a value of PostgreSQL type {@code pgType}: OIDs as integers (they are
   * below 2^31 here), names and the internal text types as strings.
   */
  private static SqlTypeName calciteType(String pgType) {
    return switch (pgType) {
      case "oid", "regclass", "regtype", "regnamespace", "int4", "cardinal_number" ->
          SqlTypeName.INTEGER;
      case "int2" -> SqlTypeName.SMALLINT;
      case "int8", "xid" -> SqlTypeName.BIGINT;
      case "bool" -> SqlTypeName.BOOLEAN;
      case "float4" -> SqlTypeName.REAL;
      case "float8" -> SqlTypeName.DOUBLE;
      case "timestamptz", "time_stamp" -> SqlTypeName.TIMESTAMP;
      case "name", "text", "char", "regproc", "pg_node_tree", "inet", "aclitem", "anyarray",
          "bytea", "sql_identifier", "character_data", "yes_or_no" -> SqlTypeName.VARCHAR;
      default -> throw new IllegalArgumentException("no Calcite type for " + pgType);
    };
  }

  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (Column c : columns) {
      RelDataType type = c.type() == SqlTypeName.ARRAY
          ? typeFactory.createArrayType(typeFactory.createTypeWithNullability(
              typeFactory.createSqlType(c.elementType()), true), -1)
          : typeFactory.createSqlType(c.type());
      builder.add(c.name(), typeFactory.createTypeWithNullability(type, true));
    }
    return builder.build();
  }

  @Override public Enumerable<Object[]> scan(DataContext root) {
    Rows out = new Rows(root);
    rows.accept(CatalogSnapshot.of(root), out);
    return Linq4j.asEnumerable(out.rows);
  }

  @Override public Schema.TableType getJdbcTableType() {
    return Schema.TableType.SYSTEM_TABLE;
  }

  /** The rows of one scan, each built by column name. */
  final class Rows {
    private final DataContext root;
    private final List<Object[]> rows = new ArrayList<>();

    private Rows(DataContext root) {
      this.root = root;
    }

    /** The scan's context, for a table whose rows are another table's. */
    DataContext root() {
      return root;
    }

    /** A new row holding each column's neutral value, to be set by name. */
    Row add() {
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (columns.get(i).type()) {
          case BOOLEAN -> false;
          case SMALLINT -> (short) 0;
          case INTEGER -> 0;
          case BIGINT -> 0L;
          case REAL -> 0f;
          default -> null;
        };
      }
      rows.add(values);
      return new Row(values);
    }
  }

  /**
   * One row: {@link #set} converts a value to Calcite's representation of its column's type
   * (a {@code char} from a Java char, a {@code smallint} from any number).
   */
  final class Row {
    private final Object[] values;

    private Row(Object[] values) {
      this.values = values;
    }

    Row set(String column, Object value) {
      Integer i = positions.get(column);
      if (i == null) {
        throw new IllegalArgumentException("no column " + column + " among " + columns);
      }
      values[i] = value == null ? null : switch (columns.get(i).type()) {
        case SMALLINT -> ((Number) value).shortValue();
        case INTEGER -> ((Number) value).intValue();
        case BIGINT -> ((Number) value).longValue();
        case REAL -> ((Number) value).floatValue();
        case DOUBLE -> ((Number) value).doubleValue();
        // information_schema's yes_or_no
        case VARCHAR -> value instanceof Boolean b ? (b ? "YES" : "NO") : value.toString();
        default -> value;
      };
      return this;
    }
  }
}
