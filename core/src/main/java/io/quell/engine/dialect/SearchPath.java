package io.quell.engine.dialect;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.session.Session;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's {@code search_path} as a session's default schema: the first schema of the
 * path that exists is where unqualified names are looked up, and what
 * {@code current_schema()} is; with none, names must be qualified. Unlike PostgreSQL, Quell
 * looks an unqualified name up in that one schema only. The path is PostgreSQL's
 * text: names apart by commas, unquoted ones in any case, and {@code "$user"} for the schema
 * named as the session's user.
 */
public final class SearchPath {
  private SearchPath() {
  }

  /** Makes {@code path} the search path of {@code session}'s statements. */
  public static void apply(Session session, String path) {
    try {
      CalciteConnection connection = session.connection().unwrap(CalciteConnection.class);
      SchemaPlus root = connection.getRootSchema();
      List<String> schemas = schemas(path, session.user());
      // A connection always has a schema: with none of the path's, one that does not exist.
      connection.setSchema(schemas.stream()
          .filter(name -> root.subSchemas().get(name) != null).findFirst()
          .orElse(schemas.isEmpty() ? "" : schemas.get(0)));
    } catch (SQLException e) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION,
          "the session's connection is closed", e);
    }
  }

  /** The schema names of {@code path}, {@code "$user"} as {@code user}. */
  static List<String> schemas(String path, String user) {
    List<String> names = new ArrayList<>();
    for (String item : path.split(",")) {
      String name = item.trim();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
        names.add(name.equals("$user") ? user : name);
      } else if (!name.isEmpty()) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
