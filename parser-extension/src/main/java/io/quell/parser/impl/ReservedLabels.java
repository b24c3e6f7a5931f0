package io.quell.parser.impl;

import java.util.regex.Pattern;

/**
 * The words Calcite reserves that PostgreSQL takes as names where any word is one (its
 * ColLabel): a field after a dot ({@code tmp.cardinality}, in pgjdbc's getIndexInfo) and a
 * select item's alias after AS ({@code AS table}, in Metabase's sync). The build's patches to
 * CompoundIdentifier and AddSelectItem ask this in their lookahead, which may not throw as a
 * grammar production would.
 */
final class ReservedLabels {
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*");

  private ReservedLabels() {
  }

  /**
   * Whether {@code t} is a keyword: a word the lexer did not read as an identifier. MEASURE
   * stays Calcite's, which reads {@code AS MEASURE m} as a measure.
   */
  static boolean isLabel(Token t) {
    return t.kind != QuellSqlParserImplConstants.IDENTIFIER
        && t.kind != QuellSqlParserImplConstants.MEASURE
        && WORD.matcher(t.image).matches();
  }
}
