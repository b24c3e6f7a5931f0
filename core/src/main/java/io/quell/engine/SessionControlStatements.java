package io.quell.engine;

import io.quell.parser.DdlKeywords;
import io.quell.parser.SqlShowActivity;
import io.quell.parser.SqlShowGrants;
import io.quell.parser.SqlShowUsers;
import io.quell.parser.SqlShowVariable;
import io.quell.parser.QuellConformance;
import io.quell.parser.impl.RewritingParserFactory;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The statements admission control never queues: session control and administration (SHOW,
 * CANCEL, SET, RESET, user, role and view statements, ALTER SYSTEM, DRAIN), and queries that
 * read nothing but the system tables, such as {@code SELECT ... FROM (SHOW QUERIES) WHERE ...}
 * or the driver's cancel side channel: an operator must be able to look and cancel when the
 * node is full, and these cost next to nothing.
 */
final class SessionControlStatements {
  private static final SqlParser.Config PARSER = SqlParser.config()
      .withParserFactory(RewritingParserFactory.PARSE_ONLY)
      .withConformance(QuellConformance.INSTANCE)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withCaseSensitive(false);

  private SessionControlStatements() {
  }

  static boolean neverQueued(String sql) {
    return DdlKeywords.isDdlOrSessionControl(sql) || readsOnlySystemTables(sql);
  }

  /**
   * Whether {@code sql} is a query every table of which is a system table or a SHOW. Parsed
   * only when its text names one: other statements pay a scan of their text, no more.
   */
  static boolean readsOnlySystemTables(String sql) {
    if (!containsIgnoreCase(sql, SystemSchema.NAME) && !containsIgnoreCase(sql, "show")) {
      return false;
    }
    SqlNode node;
    try {
      node = SqlParser.create(sql, PARSER).parseQuery();
    } catch (SqlParseException | RuntimeException e) {
      return false; // it will fail, queued like any statement, with its own error
    }
    if (!node.getKind().belongsTo(SqlKind.QUERY)) {
      return false;
    }
    FromItems from = new FromItems();
    node.accept(from);
    return from.sawSystem && from.allSystem;
  }

  /** Without a lower-case copy of the text: this runs before every statement of a non-admin. */
  private static boolean containsIgnoreCase(String text, String word) {
    for (int i = 0; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** SHOW used as a table: the engine reads it from the system tables. */
  private static boolean isShow(SqlNode node) {
    return node instanceof SqlShowActivity || node instanceof SqlShowUsers
        || node instanceof SqlShowGrants || node instanceof SqlShowVariable;
  }

  /**
   * Looks at the FROM items of every SELECT in a statement, and at every {@code TABLE t},
   * subqueries included.
   */
  private static final class FromItems extends SqlBasicVisitor<Void> {
    boolean sawSystem;
    boolean allSystem = true;

    @Override public Void visit(SqlCall call) {
      if (call instanceof SqlSelect select && select.getFrom() != null) {
        look(select.getFrom());
      } else if (call.getKind() == SqlKind.EXPLICIT_TABLE && !isShow(call)) {
        look(call.operand(0));
      }
      return super.visit(call);
    }

    private void look(SqlNode from) {
      boolean system = isSystem(from);
      sawSystem |= system;
      allSystem &= system;
    }

    /** A FROM item that reads a system table, a SHOW, or a subquery (whose SELECTs we see). */
    private static boolean isSystem(SqlNode item) {
      if (item instanceof SqlIdentifier id) {
        return id.names.size() == 2 && id.names.get(0).equals(SystemSchema.NAME);
      }
      if (item instanceof SqlJoin join) {
        return isSystem(join.getLeft()) && isSystem(join.getRight());
      }
      if (item.getKind() == SqlKind.AS) {
        return isSystem(((SqlCall) item).operand(0));
      }
      return isShow(item) || item instanceof SqlSelect || item.getKind() == SqlKind.ORDER_BY
          || item.getKind().belongsTo(SqlKind.SET_QUERY) || item.getKind() == SqlKind.VALUES;
    }
  }
}
