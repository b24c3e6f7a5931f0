package io.quell.engine.pgcatalog;

import io.quell.engine.pgcatalog.CatalogSnapshot.Attribute;
import io.quell.engine.pgcatalog.CatalogSnapshot.Namespace;
import io.quell.engine.pgcatalog.CatalogSnapshot.Relation;
import io.quell.engine.pgcatalog.CatalogSnapshot.Role;

import com.google.common.collect.ImmutableMap;

import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.Map;

/**
 * Schema {@code information_schema}, the SQL standard's catalog as PostgreSQL has it (its
 * column names, PostgreSQL's spelling of type names in {@code data_type}), derived from the same
 * {@link CatalogSnapshot} as {@code pg_catalog}. Quell's tables cannot be written, and have no
 * keys or constraints.
 */
final class InformationSchema extends AbstractSchema {
  static final String NAME = "information_schema";

  private final Map<String, Table> tables = ImmutableMap.<String, Table>builder()
      .put("schemata", new CatalogTable("catalog_name sql_identifier, "
          + "schema_name sql_identifier, schema_owner sql_identifier, "
          + "default_character_set_catalog sql_identifier, "
          + "default_character_set_schema sql_identifier, "
          + "default_character_set_name sql_identifier, sql_path character_data",
          InformationSchema::schemata))
      .put("tables", new CatalogTable("table_catalog sql_identifier, "
          + "table_schema sql_identifier, table_name sql_identifier, "
          + "table_type character_data, self_referencing_column_name sql_identifier, "
          + "reference_generation character_data, user_defined_type_catalog sql_identifier, "
          + "user_defined_type_schema sql_identifier, user_defined_type_name sql_identifier, "
          + "is_insertable_into yes_or_no, is_typed yes_or_no, commit_action character_data",
          InformationSchema::tables))
      .put("columns", new CatalogTable("table_catalog sql_identifier, "
          + "table_schema sql_identifier, table_name sql_identifier, "
          + "column_name sql_identifier, ordinal_position cardinal_number, "
          + "column_default character_data, is_nullable yes_or_no, data_type character_data, "
          + "character_maximum_length cardinal_number, character_octet_length cardinal_number, "
          + "numeric_precision cardinal_number, numeric_precision_radix cardinal_number, "
          + "numeric_scale cardinal_number, datetime_precision cardinal_number, "
          + "interval_type character_data, interval_precision cardinal_number, "
          + "character_set_catalog sql_identifier, character_set_schema sql_identifier, "
          + "character_set_name sql_identifier, collation_catalog sql_identifier, "
          + "collation_schema sql_identifier, collation_name sql_identifier, "
          + "domain_catalog sql_identifier, domain_schema sql_identifier, "
          + "domain_name sql_identifier, udt_catalog sql_identifier, "
          + "udt_schema sql_identifier, udt_name sql_identifier, "
          + "scope_catalog sql_identifier, scope_schema sql_identifier, "
          + "scope_name sql_identifier, maximum_cardinality cardinal_number, "
          + "dtd_identifier sql_identifier, is_self_referencing yes_or_no, "
          + "is_identity yes_or_no, identity_generation character_data, "
          + "identity_start character_data, identity_increment character_data, "
          + "identity_maximum character_data, identity_minimum character_data, "
          + "identity_cycle yes_or_no, is_generated character_data, "
          + "generation_expression character_data, is_updatable yes_or_no",
          InformationSchema::columns))
      .put("views", new CatalogTable("table_catalog sql_identifier, "
          + "table_schema sql_identifier, table_name sql_identifier, "
          + "view_definition character_data, check_option character_data, "
          + "is_updatable yes_or_no, is_insertable_into yes_or_no, "
          + "is_trigger_updatable yes_or_no, is_trigger_deletable yes_or_no, "
          + "is_trigger_insertable_into yes_or_no", InformationSchema::views))
      .put("table_constraints", CatalogTable.empty("constraint_catalog sql_identifier, "
          + "constraint_schema sql_identifier, constraint_name sql_identifier, "
          + "table_catalog sql_identifier, table_schema sql_identifier, "
          + "table_name sql_identifier, constraint_type character_data, "
          + "is_deferrable yes_or_no, initially_deferred yes_or_no, enforced yes_or_no, "
          + "nulls_distinct yes_or_no"))
      .put("key_column_usage", CatalogTable.empty("constraint_catalog sql_identifier, "
          + "constraint_schema sql_identifier, constraint_name sql_identifier, "
          + "table_catalog sql_identifier, table_schema sql_identifier, "
          + "table_name sql_identifier, column_name sql_identifier, "
          + "ordinal_position cardinal_number, position_in_unique_constraint cardinal_number"))
      .put("referential_constraints", CatalogTable.empty("constraint_catalog sql_identifier, "
          + "constraint_schema sql_identifier, constraint_name sql_identifier, "
          + "unique_constraint_catalog sql_identifier, "
          + "unique_constraint_schema sql_identifier, "
          + "unique_constraint_name sql_identifier, match_option character_data, "
          + "update_rule character_data, delete_rule character_data"))
      .build();

  @Override protected Map<String, Table> getTableMap() {
    return tables;
  }

  private static String owner(CatalogSnapshot s) {
    return s.role(CatalogSnapshot.ownerOid()).map(Role::name).orElse(null);
  }

  private static void schemata(CatalogSnapshot s, CatalogTable.Rows rows) {
    String owner = owner(s);
    for (Namespace n : s.namespaces()) {
      rows.add().set("catalog_name", CatalogSnapshot.DATABASE).set("schema_name", n.name())
          .set("schema_owner", owner);
    }
  }

  private static void tables(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      rows.add().set("table_catalog", CatalogSnapshot.DATABASE)
          .set("table_schema", r.namespace().name()).set("table_name", r.name())
          .set("table_type", r.isView() ? "VIEW" : "BASE TABLE")
          .set("is_insertable_into", false).set("is_typed", false);
    }
  }

  private static void columns(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      for (Attribute a : r.attributes()) {
        ColumnType type = a.type();
        Integer length = type.characterMaximumLength();
        rows.add().set("table_catalog", CatalogSnapshot.DATABASE)
            .set("table_schema", r.namespace().name()).set("table_name", r.name())
            .set("column_name", a.name()).set("ordinal_position", a.number())
            .set("is_nullable", a.nullable() || r.isView()).set("data_type", type.dataType())
            .set("character_maximum_length", length)
            .set("character_octet_length", length == null ? null : length * 4)
            .set("numeric_precision", type.numericPrecision())
            .set("numeric_precision_radix", type.numericPrecisionRadix())
            .set("numeric_scale", type.numericScale())
            .set("datetime_precision", type.datetimePrecision())
            .set("interval_precision", null)
            .set("udt_catalog", CatalogSnapshot.DATABASE).set("udt_schema", PgCatalogSchema.NAME)
            .set("udt_name", type.type().typname()).set("maximum_cardinality", null)
            .set("dtd_identifier", String.valueOf(a.number()))
            .set("is_self_referencing", false).set("is_identity", false)
            .set("identity_cycle", false).set("is_generated", "NEVER")
            .set("is_updatable", false);
      }
    }
  }

  private static void views(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      if (r.isView()) {
        rows.add().set("table_catalog", CatalogSnapshot.DATABASE)
            .set("table_schema", r.namespace().name()).set("table_name", r.name())
            .set("view_definition", r.viewSql()).set("check_option", "NONE")
            .set("is_updatable", false).set("is_insertable_into", false)
            .set("is_trigger_updatable", false).set("is_trigger_deletable", false)
            .set("is_trigger_insertable_into", false);
      }
    }
  }
}
