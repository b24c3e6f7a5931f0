package io.quell.frontend;

import io.quell.error.QuellException;
import io.quell.parser.DdlKeywords;
import io.quell.parser.QuellConformance;
import io.quell.parser.impl.RewritingParserFactory;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.Meta.StatementType;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A prepared statement that Calcite must not see until it is executed. Calcite runs DDL while
 * preparing, before any parameter is bound, so {@code CANCEL SESSION ?} or {@code SET} would
 * act at prepare time with no values. Quell keeps such statements parsed, and on each execute
 * binds the parameters as literals and runs the resulting text on Calcite's DDL path.
 */
final class DeferredStatement {
  private final String sql;
  private final SqlNode node;
  private final int parameterCount;

  private DeferredStatement(String sql, SqlNode node, int parameterCount) {
    this.sql = sql;
    this.node = node;
    this.parameterCount = parameterCount;
  }

  /** Whether Calcite would execute {@code sql} while preparing it. */
  public static boolean executesAtPrepare(String sql) {
    return DdlKeywords.startsDdl(sql);
  }

  public static DeferredStatement parse(String sql) {
    try {
      SqlNode node = SqlParser.create(sql, SqlParser.config()
          .withParserFactory(RewritingParserFactory.PARSE_ONLY)
          .withConformance(QuellConformance.INSTANCE)
          .withUnquotedCasing(Casing.TO_LOWER)
          .withCaseSensitive(false)).parseStmt();
      AtomicInteger count = new AtomicInteger();
      node.accept(new SqlShuttle() {
        @Override public SqlNode visit(SqlDynamicParam param) {
          count.incrementAndGet();
          return param;
        }
      });
      return new DeferredStatement(sql, node, count.get());
    } catch (SqlParseException e) {
      throw QuellException.unwrap(e);
    }
  }

  /** The statement as the client wrote it. */
  public String sql() {
    return sql;
  }

  /**
   * What a client is told of it when it prepares it: no columns, and each parameter a string,
   * which {@link #bind} turns into whatever literal the value is.
   */
  public Signature signature() {
    List<AvaticaParameter> parameters = new ArrayList<>(parameterCount);
    for (int i = 0; i < parameterCount; i++) {
      parameters.add(new AvaticaParameter(false, 0, 0, Types.VARCHAR, "VARCHAR",
          String.class.getName(), "?" + (i + 1)));
    }
    return Signature.create(List.of(), sql, parameters, CursorFactory.ARRAY,
        StatementType.OTHER_DDL);
  }

  /** The statement text with every {@code ?} replaced by its value as a literal. */
  public String bind(List<TypedValue> values) {
    SqlNode bound = node.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlDynamicParam param) {
        TypedValue value = values == null || param.getIndex() >= values.size() ? null
            : values.get(param.getIndex());
        return literal(value == null ? null : value.value);
      }
    });
    return bound.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }

  private static SqlNode literal(Object value) {
    SqlParserPos pos = SqlParserPos.ZERO;
    if (value == null) {
      return SqlLiteral.createNull(pos);
    }
    if (value instanceof Number n) {
      return SqlLiteral.createExactNumeric(new BigDecimal(n.toString()).toPlainString(), pos);
    }
    if (value instanceof Boolean b) {
      return SqlLiteral.createBoolean(b, pos);
    }
    return SqlLiteral.createCharString(value.toString(), pos);
  }
}
