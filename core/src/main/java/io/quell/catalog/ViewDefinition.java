package io.quell.catalog;

import java.util.Locale;

/**
 * A view: its schema, its name and the query it stands for, as SQL text that Calcite's own
 * parser reads back.
 */
public record ViewDefinition(String schema, String name, String sql) {
  /** {@code name} as the key under which names differing only in case are one name. */
  public static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
