package io.quell.engine.dialect;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.parser.postgres.PostgresOperators;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's meaning for what Calcite's grammar parses otherwise: its type names
 * ({@code int4}, {@code text}, {@code pg_catalog.regclass}...), which Calcite reads as types a
 * schema would define, become the SQL types they are; {@code date_trunc('month', ts)}, which
 * Calcite's grammar takes for BigQuery's {@code DATE_TRUNC(ts, MONTH)}, becomes PostgreSQL's
 * ({@link PostgresFunctions#DATE_TRUNC}); and set-returning functions in a select list and
 * other functions in FROM become lateral tables ({@link SetReturningFunctions}). Quell has no
 * types of its own, so any other type name does not exist (42704).
 */
public final class PostgresRewriter extends SqlShuttle {
  private static final PostgresRewriter INSTANCE = new PostgresRewriter();

  /**
   * PostgreSQL's names of types, and the SQL type each is here. The object identifier types
   * are as the catalog holds them: the integer OIDs are ({@code oid}, {@code regclass}...), or
   * for functions and operators their names; {@code name} and {@code bpchar} are text,
   * {@code "char"} one character, and {@code timestamptz} a timestamp, as Quell's timestamps
   * have no time zone. A cast to an object identifier type is an {@link ObjectIdCast}.
   */
  private static final Map<String, SqlTypeName> TYPES = Map.ofEntries(
      Map.entry("int2", SqlTypeName.SMALLINT), Map.entry("smallint", SqlTypeName.SMALLINT),
      Map.entry("int4", SqlTypeName.INTEGER), Map.entry("int", SqlTypeName.INTEGER),
      Map.entry("integer", SqlTypeName.INTEGER),
      Map.entry("int8", SqlTypeName.BIGINT), Map.entry("bigint", SqlTypeName.BIGINT),
      Map.entry("float4", SqlTypeName.REAL), Map.entry("real", SqlTypeName.REAL),
      Map.entry("float8", SqlTypeName.DOUBLE),
      Map.entry("numeric", SqlTypeName.DECIMAL), Map.entry("decimal", SqlTypeName.DECIMAL),
      Map.entry("bool", SqlTypeName.BOOLEAN), Map.entry("boolean", SqlTypeName.BOOLEAN),
      Map.entry("text", SqlTypeName.VARCHAR), Map.entry("varchar", SqlTypeName.VARCHAR),
      Map.entry("bpchar", SqlTypeName.VARCHAR), Map.entry("name", SqlTypeName.VARCHAR),
      Map.entry("char", SqlTypeName.CHAR),
      Map.entry("oid", SqlTypeName.INTEGER), Map.entry("regclass", SqlTypeName.INTEGER),
      Map.entry("regtype", SqlTypeName.INTEGER), Map.entry("regnamespace", SqlTypeName.INTEGER),
      Map.entry("regrole", SqlTypeName.INTEGER), Map.entry("regproc", SqlTypeName.VARCHAR),
      Map.entry("regprocedure", SqlTypeName.VARCHAR), Map.entry("regoper", SqlTypeName.VARCHAR),
      Map.entry("regoperator", SqlTypeName.VARCHAR),
      Map.entry("date", SqlTypeName.DATE), Map.entry("time", SqlTypeName.TIME),
      Map.entry("timetz", SqlTypeName.TIME), Map.entry("timestamp", SqlTypeName.TIMESTAMP),
      Map.entry("timestamptz", SqlTypeName.TIMESTAMP),
      Map.entry("bytea", SqlTypeName.VARBINARY));

  private PostgresRewriter() {
  }

  /**
   * {@code node} with PostgreSQL's meanings, and its result's unnamed columns named as
   * PostgreSQL names them ({@link ColumnLabels}).
   */
  public static SqlNode rewrite(SqlNode node) {
    return ColumnLabels.name(node.accept(INSTANCE));
  }

  /**
   * An escaped string ({@code E'a\n'}) or a Unicode one ({@code U&'\0061'}) in the character
   * set of every other string: Calcite's parser gives them UTF-16, which no column's text may
   * then be compared or concatenated with, where in PostgreSQL a string is a string.
   */
  @Override public SqlNode visit(SqlLiteral literal) {
    if (literal instanceof SqlCharStringLiteral string
        && string.getNlsString().getCharset() != null
        && string.getNlsString().getCharset().name().startsWith("UTF-16")) {
      return SqlLiteral.createCharString(string.getNlsString().getValue(),
          literal.getParserPosition());
    }
    return literal;
  }

  @Override public SqlNode visit(SqlDataTypeSpec type) {
    SqlTypeNameSpec name = type.getTypeNameSpec();
    SqlTypeNameSpec sql = sqlType(name);
    return sql == name ? type
        : new SqlDataTypeSpec(sql, type.getTimeZone(), type.getNullable(),
            type.getParserPosition());
  }

  @Override public SqlNode visit(SqlCall call) {
    ObjectIdCast objectIdCast = objectIdCast(call);
    if (objectIdCast != null) {
      SqlDataTypeSpec type = (SqlDataTypeSpec) call.operand(1);
      return objectIdCast.createCall(call.getParserPosition(),
          call.operand(0).accept(this), visit(type));
    }
    if (isCast(call) && call.operand(0) instanceof SqlCharStringLiteral text
        && call.operand(1) instanceof SqlDataTypeSpec type
        && type.getTypeNameSpec() instanceof SqlCollectionTypeNameSpec) {
      return arrayOf(text, visit(type));
    }
    SqlNode visited = super.visit(call);
    if (visited instanceof SqlSelect select) {
      return SetReturningFunctions.rewrite(select);
    }
    if (visited instanceof SqlCall c && c.getOperator() == SqlLibraryOperators.DATE_TRUNC
        && c.operandCount() == 2 && !(c.operand(1) instanceof SqlIntervalQualifier)) {
      return PostgresFunctions.DATE_TRUNC.createCall(c.getParserPosition(), c.getOperandList());
    }
    return visited;
  }

  /** Whether {@code call} is a cast, SQL's or PostgreSQL's {@code ::}. */
  static boolean isCast(SqlCall call) {
    return call.getOperator() == SqlStdOperatorTable.CAST
        || call.getOperator() == SqlLibraryOperators.INFIX_CAST;
  }

  /**
   * {@code '{a,b}'::text[]}, PostgreSQL's array text cast to an array type, as the array of its
   * elements cast to the element type (pgjdbc's getSQLKeywords sends one), which Calcite cannot
   * cast at run time; 22P02 for text that is no array.
   */
  private static SqlNode arrayOf(SqlCharStringLiteral text, SqlNode type) {
    String value = text.getValueAs(String.class);
    List<String> elements = PgArrayText.parse(value);
    if (elements == null) {
      throw new QuellException(SqlState.INVALID_TEXT_REPRESENTATION,
          "malformed array literal: \"" + value + "\"");
    }
    SqlParserPos pos = text.getParserPosition();
    SqlDataTypeSpec element = new SqlDataTypeSpec(((SqlCollectionTypeNameSpec)
        ((SqlDataTypeSpec) type).getTypeNameSpec()).getElementTypeName(), pos).withNullable(true);
    if (elements.isEmpty()) {
      // Calcite has no ARRAY[]: an array of no rows is the empty one.
      SqlNode none = SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createNull(pos),
          element);
      return SqlStdOperatorTable.ARRAY_QUERY.createCall(pos, new SqlSelect(pos, null,
          SqlNodeList.of(none), null, SqlLiteral.createBoolean(false, pos), null, null, null,
          null, null, null, null, null));
    }
    return PgArrayText.constructor(elements, element, pos);
  }

  /** The cast {@code call} is if it casts to an object identifier type, else null. */
  private static ObjectIdCast objectIdCast(SqlCall call) {
    if (!isCast(call) || !(call.operand(1) instanceof SqlDataTypeSpec type)
        || !(type.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec name)) {
      return null;
    }
    SqlIdentifier id = name.getTypeName();
    return ObjectIdCast.of(id.names.get(id.names.size() - 1));
  }

  private static SqlTypeNameSpec sqlType(SqlTypeNameSpec name) {
    if (name instanceof SqlCollectionTypeNameSpec collection) {
      SqlTypeNameSpec element = sqlType(collection.getElementTypeName());
      return element == collection.getElementTypeName() ? name
          : new SqlCollectionTypeNameSpec(element,
              SqlTypeName.valueOf(collection.getTypeName().getSimple()), name.getParserPos());
    }
    if (!(name instanceof SqlUserDefinedTypeNameSpec)) {
      return name;
    }
    SqlIdentifier id = name.getTypeName();
    boolean inCatalog = id.names.size() == 1 || id.names.size() == 2
        && id.names.get(0).toLowerCase(Locale.ROOT).equals(PostgresOperators.CATALOG_SCHEMA);
    SqlTypeName type = inCatalog
        ? TYPES.get(id.names.get(id.names.size() - 1).toLowerCase(Locale.ROOT)) : null;
    if (type == null) {
      throw new QuellException(SqlState.UNDEFINED_OBJECT,
          "type \"" + id + "\" does not exist");
    }
    SqlParserPos pos = name.getParserPos();
    return type == SqlTypeName.CHAR ? new SqlBasicTypeNameSpec(type, 1, pos)
        : new SqlBasicTypeNameSpec(type, pos);
  }
}
