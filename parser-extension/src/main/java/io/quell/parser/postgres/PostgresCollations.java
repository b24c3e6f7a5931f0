package io.quell.parser.postgres;

import static io.quell.parser.QuellParserResource.RESOURCE;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.parser.SqlParserPos;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.Locale;
import java.util.Set;

/**
 * The collations a {@code COLLATE} clause may name. Quell compares text by code point, which
 * is what PostgreSQL's "C" and "POSIX" collations do and what its "default" is here, so these
 * change nothing; any other collation would sort differently and does not exist.
 */
public final class PostgresCollations {
  private static final Set<String> CODE_POINT = Set.of("default", "c", "posix", "ucs_basic");

  private PostgresCollations() {
  }

  /** Fails at {@code pos} unless {@code schema.name} (schema optional) is such a collation. */
  public static void check(@Nullable SqlIdentifier schema, String name, SqlParserPos pos) {
    boolean inCatalog = schema == null || schema.getSimple().toLowerCase(Locale.ROOT)
        .equals(PostgresOperators.CATALOG_SCHEMA);
    if (!inCatalog || !CODE_POINT.contains(name.toLowerCase(Locale.ROOT))) {
      throw SqlUtil.newContextException(pos, RESOURCE.unknownCollation(
          schema == null ? name : schema.getSimple() + "." + name));
    }
  }
}
