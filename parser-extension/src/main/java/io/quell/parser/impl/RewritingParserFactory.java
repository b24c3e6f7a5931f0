package io.quell.parser.impl;

import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.util.SourceStringReader;

import java.io.Reader;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A factory of {@link QuellSqlParserImpl} parsers whose statements pass through a rewrite before
 * Calcite validates them, and whose DDL goes to a given executor. This is how an engine turns
 * {@code SHOW SESSIONS} into a query of its system tables while the grammar keeps its own nodes.
 * It lives in this package because the generated parser's input stream is package-private.
 */
public class RewritingParserFactory implements SqlParserImplFactory {
  private final UnaryOperator<SqlNode> rewrite;
  private final DdlExecutor ddlExecutor;

  public RewritingParserFactory(UnaryOperator<SqlNode> rewrite, DdlExecutor ddlExecutor) {
    this.rewrite = requireNonNull(rewrite, "rewrite");
    this.ddlExecutor = requireNonNull(ddlExecutor, "ddlExecutor");
  }

  @Override public SqlAbstractParserImpl getParser(Reader reader) {
    final QuellSqlParserImpl parser = new QuellSqlParserImpl(reader) {
      @Override public SqlNode parseSqlStmtEof() throws Exception {
        return rewrite.apply(super.parseSqlStmtEof());
      }

      @Override public SqlNodeList parseSqlStmtList() throws Exception {
        SqlNodeList list = super.parseSqlStmtList();
        for (int i = 0; i < list.size(); i++) {
          list.set(i, rewrite.apply(list.get(i)));
        }
        return list;
      }
    };
    // Same set-up as the generated FACTORY, so error positions and messages are identical.
    if (reader instanceof SourceStringReader) {
      final String sql = ((SourceStringReader) reader).getSourceString();
      parser.setOriginalSql(sql);
      parser.jj_input_stream.ReInit(reader, 1, 1, sql.length());
    }
    return parser;
  }

  @Override public DdlExecutor getDdlExecutor() {
    return ddlExecutor;
  }
}
