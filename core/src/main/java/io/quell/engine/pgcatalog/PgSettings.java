package io.quell.engine.pgcatalog;

import io.quell.catalog.Principal;
import io.quell.catalog.RoleSetting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code pg_settings}: the session's variables as SHOW ALL lists them, then the fixed settings
 * of PostgreSQL's that clients read to learn the server's limits (pgjdbc's
 * {@code max_index_keys}) and that no session variable already answers; and the per-role
 * defaults ({@code ALTER ROLE ... SET}) as {@code rolconfig}.
 */
final class PgSettings {
  /**
   * PostgreSQL's read-only settings of a build of 13 that no session variable gives (the
   * server's version and encoding are session variables).
   */
  private static final Map<String, String> PRESETS = presets();

  private PgSettings() {
  }

  private static Map<String, String> presets() {
    Map<String, String> presets = new LinkedHashMap<>();
    presets.put("block_size", "8192");
    presets.put("max_function_args", "100");
    presets.put("max_identifier_length", "63");
    presets.put("max_index_keys", "32");
    return presets;
  }

  static void add(CatalogSnapshot s, CatalogTable.Rows rows) {
    Map<String, String> variables = s.session().variables().all();
    variables.forEach((name, value) -> rows.add().set("name", name).set("setting", value)
        .set("category", "Quell").set("context", "user").set("vartype", "string")
        .set("source", "session").set("reset_val", value));
    PRESETS.forEach((name, value) -> {
      if (!variables.containsKey(name)) {
        rows.add().set("name", name).set("setting", value).set("category", "Preset Options")
            .set("context", "internal").set("vartype", "string").set("source", "default")
            .set("boot_val", value).set("reset_val", value);
      }
    });
  }

  /**
   * Each role's defaults, variable by variable, that the session's user may read, as
   * {@code quell_internal.role_settings} shows them: an admin every role's, others their own.
   */
  static Map<String, Map<String, String>> roleSettings(CatalogSnapshot s) {
    Principal reader = s.principal();
    Map<String, Map<String, String>> settings = new TreeMap<>();
    for (RoleSetting setting : s.catalog().roles().settings()) {
      if (!reader.isAdmin() && !setting.role().equals(reader.name())) {
        continue;
      }
      settings.computeIfAbsent(setting.role(), r -> new TreeMap<>())
          .put(setting.variable(), setting.value());
    }
    return settings;
  }

  /** {@code rolconfig}: {@code variable=value} for each default, null if none. */
  static List<String> asConfig(Map<String, String> settings) {
    return settings == null ? null
        : settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
