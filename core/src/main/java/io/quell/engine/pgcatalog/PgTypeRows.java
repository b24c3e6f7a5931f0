package io.quell.engine.pgcatalog;

/**
 * {@code pg_type}: a row per {@link PgType}, with the properties PostgreSQL gives it that clients
 * read: pgjdbc tells arrays by {@code typinput = array_in} and finds their elements by
 * {@code typelem}, psql formats by OID. Type-valued functions ({@code typinput}...) are shown by
 * name, as PostgreSQL prints a {@code regproc}.
 */
final class PgTypeRows {
  private PgTypeRows() {
  }

  static void add(CatalogTable.Rows rows) {
    for (PgType type : PgType.values()) {
      boolean array = type.category() == 'A';
      rows.add().set("oid", type.oid()).set("typname", type.typname())
          .set("typnamespace", Oids.PG_CATALOG_NAMESPACE)
          .set("typowner", CatalogSnapshot.ownerOid()).set("typlen", type.typlen())
          .set("typbyval", byValue(type)).set("typtype", type == PgType.UNKNOWN ? 'p' : 'b')
          .set("typcategory", type.category()).set("typispreferred", preferred(type))
          .set("typisdefined", true).set("typdelim", ',')
          .set("typsubscript", array ? "array_subscript_handler" : "-")
          .set("typelem", array ? ColumnType.elementOid(type) : 0)
          .set("typarray", type.arrayOid())
          .set("typinput", array ? "array_in" : function(type, "in"))
          .set("typoutput", array ? "array_out" : function(type, "out"))
          .set("typreceive", array ? "array_recv" : function(type, "recv"))
          .set("typsend", array ? "array_send" : function(type, "send"))
          .set("typmodin", "-").set("typmodout", "-").set("typanalyze", "-")
          .set("typalign", align(type)).set("typstorage", type.typlen() > 0 ? 'p' : 'x')
          .set("typtypmod", -1).set("typcollation", ColumnType.collation(type));
    }
  }

  /** Whether values of {@code type} are passed by value: fixed sizes up to 8 bytes. */
  static boolean byValue(PgType type) {
    return type.typlen() == 1 || type.typlen() == 2 || type.typlen() == 4
        || type.typlen() == 8;
  }

  /** {@code typalign}: c(har), s(hort), i(nt) or d(ouble) alignment. */
  static char align(PgType type) {
    return switch (type.typlen()) {
      case 1, -2, 64 -> 'c';
      case 2 -> 's';
      case 8, 16 -> 'd';
      default -> 'i';
    };
  }

  /** The preferred type of each category, which PostgreSQL's overload resolution favours. */
  private static boolean preferred(PgType type) {
    return switch (type) {
      case BOOL, TEXT, OID, FLOAT8, TIMESTAMPTZ, INTERVAL -> true;
      default -> false;
    };
  }

  /** The name of a type's I/O function, e.g. {@code int4in}, {@code numeric_in}. */
  private static String function(PgType type, String suffix) {
    return switch (type) {
      case DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, NUMERIC ->
          type.typname() + "_" + suffix;
      default -> type.typname() + suffix;
    };
  }
}
