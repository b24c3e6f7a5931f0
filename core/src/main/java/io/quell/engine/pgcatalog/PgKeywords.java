package io.quell.engine.pgcatalog;

import io.quell.parser.impl.QuellSqlParserImpl;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;

/**
 * {@code pg_get_keywords()}: the words of Quell's grammar, as pgjdbc's getSQLKeywords and
 * DBeaver read them to know what to quote. A reserved word ({@code R}) names something only
 * after a dot or AS, where any word does; an unreserved one ({@code U}) anywhere.
 */
public final class PgKeywords extends AbstractTable implements ScannableTable {
  private static final List<Object[]> ROWS = rows();

  private PgKeywords() {
  }

  /** The table; its rows are the grammar's, the same for every call. */
  public static ScannableTable of() {
    return new PgKeywords();
  }

  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return typeFactory.builder()
        .add("word", SqlTypeName.VARCHAR)
        .add("catcode", SqlTypeName.CHAR, 1)
        .add("barelabel", SqlTypeName.BOOLEAN)
        .add("catdesc", SqlTypeName.VARCHAR)
        .add("baredesc", SqlTypeName.VARCHAR)
        .build();
  }

  @Override public Enumerable<Object[]> scan(DataContext root) {
    return Linq4j.asEnumerable(ROWS);
  }

  private static List<Object[]> rows() {
    SqlAbstractParserImpl.Metadata metadata =
        QuellSqlParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();
    return metadata.getTokens().stream()
        .filter(metadata::isKeyword)
        .filter(word -> word.matches("[A-Z_][A-Z_0-9$]*"))
        .sorted()
        .map(word -> {
          boolean reserved = metadata.isReservedWord(word);
          return new Object[] {word.toLowerCase(Locale.ROOT), reserved ? "R" : "U", !reserved,
              reserved ? "reserved" : "unreserved",
              reserved ? "requires AS" : "can be bare label"};
        })
        .toList();
  }
}
