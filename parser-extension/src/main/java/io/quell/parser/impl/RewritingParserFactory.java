package io.quell.parser.impl;

import io.quell.parser.text.SqlRedaction;

import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
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
  /**
   * Parsers that read statements as the engine's do, errors and their redaction included, but
   * rewrite nothing and execute no DDL: for a front end that keeps a statement parsed.
   */
  public static final RewritingParserFactory PARSE_ONLY =
      new RewritingParserFactory(UnaryOperator.identity(), DdlExecutor.USELESS);

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

      /**
       * The error without the passwords of the statement it quotes ("Encountered" quotes the
       * token it stopped at, which may be one mistyped), and without the generated parser's
       * exception, whose message quotes them too.
       */
      @Override public SqlParseException normalizeException(Throwable ex) {
        SqlParseException e = super.normalizeException(ex);
        String sql = getOriginalSql();
        String message = SqlRedaction.scrubPasswords(e.getMessage(), sql);
        if (sql == null || message.equals(e.getMessage())) {
          return e;
        }
        return new SqlParseException(message, e.getPos(), e.getExpectedTokenSequences(),
            e.getTokenImages(), null);
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
