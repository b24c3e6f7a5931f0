package io.quell.engine;

import io.quell.engine.dialect.PostgresRewriter;
import io.quell.parser.impl.RewritingParserFactory;

/**
 * The parser every engine connection uses: Quell's grammar, PostgreSQL's type names and
 * date_trunc ({@link PostgresRewriter}), SHOW rewritten onto the system tables, DDL to
 * {@link QuellDdlExecutor}. Calcite instantiates parser factories by name, so
 * this is a static field; it holds no engine state.
 */
public final class QuellParserFactory {
  public static final RewritingParserFactory FACTORY =
      new RewritingParserFactory(node -> ShowRewriter.rewrite(PostgresRewriter.rewrite(node)),
          QuellDdlExecutor.INSTANCE);

  private QuellParserFactory() {
  }
}
