package io.quell.catalog;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The views of the catalog, by schema. A view's name is unique in its schema whatever its case,
 * since the engine looks names up ignoring case. Every change is one transaction of the
 * {@link CatalogDatabase}; the views of a schema are cached for the query path, which reads
 * them at every name it resolves.
 */
public final class ViewStore {
  private final CatalogDatabase database;
  private final CatalogCache<String, List<ViewDefinition>> bySchema;

  /** {@code ttl} null keeps cached views until the next commit. */
  ViewStore(CatalogDatabase database, Duration ttl) {
    this.database = database;
    this.bySchema = new CatalogCache<>(database, ttl);
  }

  /** CREATE [OR REPLACE] VIEW: without {@code replace} an existing view is an error. */
  public void create(ViewDefinition view, boolean replace) {
    database.transaction(db -> {
      boolean exists;
      try (PreparedStatement st = db.prepareStatement(
          "SELECT 1 FROM views WHERE schema_name = ? AND folded_name = ?")) {
        bindName(st, view.schema(), view.name());
        try (ResultSet rs = st.executeQuery()) {
          exists = rs.next();
        }
      }
      if (exists && !replace) {
        throw new QuellException(SqlState.DUPLICATE_TABLE,
            "relation \"" + view.name() + "\" already exists");
      }
      if (exists) {
        // The name keeps the spelling it was created with.
        try (PreparedStatement st = db.prepareStatement(
            "UPDATE views SET definition = ? WHERE schema_name = ? AND folded_name = ?")) {
          st.setString(1, view.sql());
          st.setString(2, view.schema());
          st.setString(3, ViewDefinition.fold(view.name()));
          st.executeUpdate();
        }
      } else {
        try (PreparedStatement st = db.prepareStatement("INSERT INTO views "
            + "(schema_name, folded_name, name, definition) VALUES (?, ?, ?, ?)")) {
          bindName(st, view.schema(), view.name());
          st.setString(3, view.name());
          st.setString(4, view.sql());
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  /** DROP VIEW: without {@code ifExists} a missing view is an error. */
  public void drop(String schema, String name, boolean ifExists) {
    database.transaction(db -> {
      try (PreparedStatement st = db.prepareStatement(
          "DELETE FROM views WHERE schema_name = ? AND folded_name = ?")) {
        bindName(st, schema, name);
        if (st.executeUpdate() == 0 && !ifExists) {
          throw new QuellException(SqlState.UNDEFINED_TABLE,
              "view \"" + name + "\" does not exist");
        }
      }
      return null;
    });
  }

  /** The views of {@code schema}, by name. */
  public List<ViewDefinition> inSchema(String schema) {
    return bySchema.get(schema, s -> database.read(db -> read(db, s)));
  }

  private static List<ViewDefinition> read(Connection db, String schema) throws SQLException {
    List<ViewDefinition> views = new ArrayList<>();
    try (PreparedStatement st = db.prepareStatement(
        "SELECT name, definition FROM views WHERE schema_name = ? ORDER BY folded_name")) {
      st.setString(1, schema);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          views.add(new ViewDefinition(schema, rs.getString("name"), rs.getString("definition")));
        }
      }
    }
    return List.copyOf(views);
  }

  private static void bindName(PreparedStatement st, String schema, String name)
      throws SQLException {
    st.setString(1, schema);
    st.setString(2, ViewDefinition.fold(name));
  }
}
