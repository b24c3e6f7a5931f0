package io.quell.engine.pgcatalog;

import io.quell.engine.pgcatalog.CatalogSnapshot.Attribute;
import io.quell.engine.pgcatalog.CatalogSnapshot.Namespace;
import io.quell.engine.pgcatalog.CatalogSnapshot.Relation;
import io.quell.engine.pgcatalog.CatalogSnapshot.Role;
import io.quell.catalog.Membership;
import io.quell.catalog.Privilege;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Multimap;

import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.Map;

/**
 * Schema {@code pg_catalog}: PostgreSQL's system catalogs with PostgreSQL's columns, their rows
 * derived at scan time from what the scanning session sees ({@link CatalogSnapshot}): a
 * namespace per schema, a class per table or view, an attribute per column, the types of
 * {@link PgType}, the roles of the user catalog without their passwords, the session's
 * settings, and this node's sessions in {@code pg_stat_activity}. What Quell has none of
 * (indexes, constraints, defaults, comments, inheritance, publications...) is an empty table
 * with PostgreSQL's columns, so that the queries clients send about it validate and answer
 * that there is none.
 */
final class PgCatalogSchema extends AbstractSchema {
  static final String NAME = "pg_catalog";

  private final PgCatalog catalog;
  private final Map<String, Table> tables;

  PgCatalogSchema(PgCatalog catalog) {
    this.catalog = catalog;
    this.tables = ImmutableMap.<String, Table>builder()
        .put("pg_namespace", new CatalogTable(
            "oid oid, nspname name, nspowner oid, nspacl aclitem[]", PgCatalogSchema::namespaces))
        .put("pg_class", new CatalogTable("oid oid, relname name, relnamespace oid, reltype oid, "
            + "reloftype oid, relowner oid, relam oid, relfilenode oid, reltablespace oid, "
            + "relpages int4, reltuples float4, relallvisible int4, reltoastrelid oid, "
            + "relhasindex bool, relisshared bool, relpersistence char, relkind char, "
            + "relnatts int2, relchecks int2, relhasrules bool, relhastriggers bool, "
            + "relhassubclass bool, relrowsecurity bool, relforcerowsecurity bool, "
            + "relispopulated bool, relreplident char, relispartition bool, relrewrite oid, "
            + "relfrozenxid xid, relminmxid xid, relacl aclitem[], reloptions text[], "
            + "relpartbound pg_node_tree", PgCatalogSchema::classes))
        .put("pg_attribute", new CatalogTable("attrelid oid, attname name, atttypid oid, "
            + "attstattarget int4, attlen int2, attnum int2, attndims int4, attcacheoff int4, "
            + "atttypmod int4, attbyval bool, attalign char, attstorage char, "
            + "attcompression char, attnotnull bool, atthasdef bool, atthasmissing bool, "
            + "attidentity char, attgenerated char, attisdropped bool, attislocal bool, "
            + "attinhcount int4, attcollation oid, attacl aclitem[], attoptions text[], "
            + "attfdwoptions text[], attmissingval anyarray", PgCatalogSchema::attributes))
        .put("pg_type", new CatalogTable("oid oid, typname name, typnamespace oid, typowner oid, "
            + "typlen int2, typbyval bool, typtype char, typcategory char, typispreferred bool, "
            + "typisdefined bool, typdelim char, typrelid oid, typsubscript regproc, "
            + "typelem oid, typarray oid, typinput regproc, typoutput regproc, "
            + "typreceive regproc, typsend regproc, typmodin regproc, typmodout regproc, "
            + "typanalyze regproc, typalign char, typstorage char, typnotnull bool, "
            + "typbasetype oid, typtypmod int4, typndims int4, typcollation oid, "
            + "typdefaultbin pg_node_tree, typdefault text, typacl aclitem[]",
            (s, rows) -> PgTypeRows.add(rows)))
        .put("pg_database", new CatalogTable("oid oid, datname name, datdba oid, encoding int4, "
            + "datlocprovider char, datistemplate bool, datallowconn bool, datconnlimit int4, "
            + "datfrozenxid xid, datminmxid xid, dattablespace oid, datcollate text, "
            + "datctype text, daticulocale text, datcollversion text, datacl aclitem[]",
            PgCatalogSchema::databases))
        .put("pg_roles", new CatalogTable("rolname name, rolsuper bool, rolinherit bool, "
            + "rolcreaterole bool, rolcreatedb bool, rolcanlogin bool, rolreplication bool, "
            + "rolconnlimit int4, rolpassword text, rolvaliduntil timestamptz, "
            + "rolbypassrls bool, rolconfig text[], oid oid",
            (s, rows) -> roles(s, rows, false)))
        // No password hashes, for anyone: PostgreSQL lets only superusers read pg_authid.
        .put("pg_authid", new CatalogTable("oid oid, rolname name, rolsuper bool, "
            + "rolinherit bool, rolcreaterole bool, rolcreatedb bool, rolcanlogin bool, "
            + "rolreplication bool, rolbypassrls bool, rolconnlimit int4, rolpassword text, "
            + "rolvaliduntil timestamptz", (s, rows) -> roles(s, rows, true)))
        .put("pg_user", new CatalogTable("usename name, usesysid oid, usecreatedb bool, "
            + "usesuper bool, userepl bool, usebypassrls bool, passwd text, "
            + "valuntil timestamptz, useconfig text[]", PgCatalogSchema::users))
        .put("pg_auth_members", new CatalogTable(
            "roleid oid, member oid, grantor oid, admin_option bool",
            PgCatalogSchema::memberships))
        .put("pg_tables", new CatalogTable("schemaname name, tablename name, tableowner name, "
            + "tablespace name, hasindexes bool, hasrules bool, hastriggers bool, "
            + "rowsecurity bool", (s, rows) -> relationsOfKind(s, rows, false)))
        .put("pg_views", new CatalogTable(
            "schemaname name, viewname name, viewowner name, definition text",
            (s, rows) -> relationsOfKind(s, rows, true)))
        .put("pg_stat_user_tables", new CatalogTable("relid oid, schemaname name, "
            + "relname name, seq_scan int8, seq_tup_read int8, idx_scan int8, "
            + "idx_tup_fetch int8, n_tup_ins int8, n_tup_upd int8, n_tup_del int8, "
            + "n_tup_hot_upd int8, n_live_tup int8, n_dead_tup int8, n_mod_since_analyze int8, "
            + "n_ins_since_vacuum int8, last_vacuum timestamptz, last_autovacuum timestamptz, "
            + "last_analyze timestamptz, last_autoanalyze timestamptz, vacuum_count int8, "
            + "autovacuum_count int8, analyze_count int8, autoanalyze_count int8",
            PgCatalogSchema::tableStatistics))
        .put("pg_settings", new CatalogTable("name text, setting text, unit text, "
            + "category text, short_desc text, extra_desc text, context text, vartype text, "
            + "source text, min_val text, max_val text, enumvals text[], boot_val text, "
            + "reset_val text, sourcefile text, sourceline int4, pending_restart bool",
            PgSettings::add))
        .put("pg_stat_activity", new CatalogTable("datid oid, datname name, pid int4, "
            + "leader_pid int4, usesysid oid, usename name, application_name text, "
            + "client_addr inet, client_hostname text, client_port int4, "
            + "backend_start timestamptz, xact_start timestamptz, query_start timestamptz, "
            + "state_change timestamptz, wait_event_type text, wait_event text, state text, "
            + "backend_xid xid, backend_xmin xid, query text, backend_type text, "
            + "session_id text", PgStatActivity::add))
        .put("pg_am", new CatalogTable("oid oid, amname name, amhandler regproc, amtype char",
            PgCatalogSchema::accessMethods))
        .put("pg_collation", new CatalogTable("oid oid, collname name, collnamespace oid, "
            + "collowner oid, collprovider char, collisdeterministic bool, collencoding int4, "
            + "collcollate text, collctype text, colliculocale text, collversion text",
            PgCatalogSchema::collations))
        .put("pg_tablespace", new CatalogTable(
            "oid oid, spcname name, spcowner oid, spcacl aclitem[], spcoptions text[]",
            (s, rows) -> rows.add().set("oid", Oids.DEFAULT_TABLESPACE)
                .set("spcname", "pg_default").set("spcowner", CatalogSnapshot.ownerOid())))
        .put("pg_matviews", CatalogTable.empty("schemaname name, matviewname name, "
            + "matviewowner name, tablespace name, hasindexes bool, ispopulated bool, "
            + "definition text"))
        .put("pg_index", CatalogTable.empty("indexrelid oid, indrelid oid, indnatts int2, "
            + "indnkeyatts int2, indisunique bool, indnullsnotdistinct bool, "
            + "indisprimary bool, indisexclusion bool, indimmediate bool, "
            + "indisclustered bool, indisvalid bool, indcheckxmin bool, indisready bool, "
            + "indislive bool, indisreplident bool, indkey int2vector, "
            + "indcollation oidvector, indclass oidvector, indoption int2vector, "
            + "indexprs pg_node_tree, indpred pg_node_tree"))
        .put("pg_indexes", CatalogTable.empty("schemaname name, tablename name, "
            + "indexname name, tablespace name, indexdef text"))
        .put("pg_constraint", CatalogTable.empty("oid oid, conname name, connamespace oid, "
            + "contype char, condeferrable bool, condeferred bool, convalidated bool, "
            + "conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, "
            + "confupdtype char, confdeltype char, confmatchtype char, conislocal bool, "
            + "coninhcount int4, connoinherit bool, conkey int2[], confkey int2[], "
            + "conpfeqop oid[], conppeqop oid[], conffeqop oid[], confdelsetcols int2[], "
            + "conexclop oid[], conbin pg_node_tree"))
        .put("pg_attrdef", CatalogTable.empty(
            "oid oid, adrelid oid, adnum int2, adbin pg_node_tree"))
        .put("pg_description", CatalogTable.empty(
            "objoid oid, classoid oid, objsubid int4, description text"))
        .put("pg_shdescription", CatalogTable.empty(
            "objoid oid, classoid oid, description text"))
        .put("pg_inherits", CatalogTable.empty(
            "inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool"))
        .put("pg_proc", CatalogTable.empty("oid oid, proname name, pronamespace oid, "
            + "proowner oid, prolang oid, procost float4, prorows float4, provariadic oid, "
            + "prosupport regproc, prokind char, prosecdef bool, proleakproof bool, "
            + "proisstrict bool, proretset bool, provolatile char, proparallel char, "
            + "pronargs int2, pronargdefaults int2, prorettype oid, proargtypes oidvector, "
            + "proallargtypes oid[], proargmodes char[], proargnames text[], "
            + "proargdefaults pg_node_tree, protrftypes oid[], prosrc text, probin text, "
            + "prosqlbody pg_node_tree, proconfig text[], proacl aclitem[]"))
        .put("pg_enum", CatalogTable.empty(
            "oid oid, enumtypid oid, enumsortorder float4, enumlabel name"))
        .put("pg_extension", CatalogTable.empty("oid oid, extname name, extowner oid, "
            + "extnamespace oid, extrelocatable bool, extversion text, extconfig oid[], "
            + "extcondition text[]"))
        .put("pg_policy", CatalogTable.empty("oid oid, polname name, polrelid oid, "
            + "polcmd char, polpermissive bool, polroles oid[], polqual pg_node_tree, "
            + "polwithcheck pg_node_tree"))
        .put("pg_statistic_ext", CatalogTable.empty("oid oid, stxrelid oid, stxname name, "
            + "stxnamespace oid, stxowner oid, stxstattarget int4, stxkeys int2vector, "
            + "stxkind char[], stxexprs pg_node_tree"))
        .put("pg_publication", CatalogTable.empty("oid oid, pubname name, pubowner oid, "
            + "puballtables bool, pubinsert bool, pubupdate bool, pubdelete bool, "
            + "pubtruncate bool, pubviaroot bool"))
        .put("pg_publication_rel", CatalogTable.empty(
            "oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector"))
        .put("pg_trigger", CatalogTable.empty("oid oid, tgrelid oid, tgparentid oid, "
            + "tgname name, tgfoid oid, tgtype int2, tgenabled char, tgisinternal bool, "
            + "tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable bool, "
            + "tginitdeferred bool, tgnargs int2, tgattr int2vector, tgargs bytea, "
            + "tgqual pg_node_tree, tgoldtable name, tgnewtable name"))
        .put("pg_rewrite", CatalogTable.empty("oid oid, rulename name, ev_class oid, "
            + "ev_type char, ev_enabled char, is_instead bool, ev_qual pg_node_tree, "
            + "ev_action pg_node_tree"))
        .put("pg_sequence", CatalogTable.empty("seqrelid oid, seqtypid oid, seqstart int8, "
            + "seqincrement int8, seqmax int8, seqmin int8, seqcache int8, seqcycle bool"))
        .put("pg_foreign_table", CatalogTable.empty(
            "ftrelid oid, ftserver oid, ftoptions text[]"))
        .put("pg_stat_user_indexes", CatalogTable.empty("relid oid, indexrelid oid, "
            + "schemaname name, relname name, indexrelname name, idx_scan int8, "
            + "idx_tup_read int8, idx_tup_fetch int8"))
        .build();
  }

  PgCatalog catalog() {
    return catalog;
  }

  @Override protected Map<String, Table> getTableMap() {
    return tables;
  }

  /** The tables by name, which the root schema holds too. */
  Map<String, Table> tableMap() {
    return tables;
  }

  @Override protected Multimap<String, Function> getFunctionMultimap() {
    return PgFunctions.all();
  }

  private static void namespaces(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Namespace n : s.namespaces()) {
      rows.add().set("oid", n.oid()).set("nspname", n.name())
          .set("nspowner", CatalogSnapshot.ownerOid());
    }
  }

  private static void classes(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      Double count = r.rowCount();
      rows.add().set("oid", r.oid()).set("relname", r.name())
          .set("relnamespace", r.namespace().oid()).set("relowner", CatalogSnapshot.ownerOid())
          .set("relam", r.isView() ? 0 : Oids.HEAP).set("reltuples", count == null ? -1 : count)
          .set("relpersistence", 'p').set("relkind", r.kind())
          .set("relnatts", r.attributes().size())
          // A view's query is its rewrite rule in PostgreSQL.
          .set("relhasrules", r.isView()).set("relispopulated", true)
          .set("relreplident", r.isView() ? 'n' : 'd');
    }
  }

  /** A view's columns are never NOT NULL: that is a constraint, which only tables have. */
  private static void attributes(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      for (Attribute a : r.attributes()) {
        PgType type = a.type().type();
        boolean fixed = type.typlen() > 0;
        rows.add().set("attrelid", r.oid()).set("attname", a.name()).set("atttypid", type.oid())
            .set("attstattarget", -1).set("attlen", type.typlen()).set("attnum", a.number())
            .set("attcacheoff", -1).set("atttypmod", a.type().typmod())
            .set("attbyval", PgTypeRows.byValue(type)).set("attalign", PgTypeRows.align(type))
            .set("attstorage", fixed ? 'p' : 'x').set("attcompression", "")
            .set("attnotnull", !a.nullable() && !r.isView()).set("attidentity", "").set("attgenerated", "")
            .set("attislocal", true).set("attcollation", a.type().collation());
      }
    }
  }

  private static void databases(CatalogSnapshot s, CatalogTable.Rows rows) {
    rows.add().set("oid", Oids.DATABASE).set("datname", CatalogSnapshot.DATABASE)
        .set("datdba", CatalogSnapshot.ownerOid()).set("encoding", PgFunctions.UTF8)
        .set("datlocprovider", 'c').set("datallowconn", true).set("datconnlimit", -1)
        .set("dattablespace", Oids.DEFAULT_TABLESPACE).set("datcollate", "C")
        .set("datctype", "C");
  }

  /**
   * One row per role: PostgreSQL's superuser is a member of {@code admin}, which alone may also
   * create roles; {@code pg_authid} hides the password itself, {@code pg_roles} shows that
   * there is one as PostgreSQL does, with asterisks.
   */
  private static void roles(CatalogSnapshot s, CatalogTable.Rows rows, boolean authid) {
    Map<String, Map<String, String>> settings = PgSettings.roleSettings(s);
    for (Role role : s.roles()) {
      CatalogTable.Row row = rows.add().set("oid", role.oid()).set("rolname", role.name())
          .set("rolsuper", role.admin()).set("rolinherit", true)
          .set("rolcreaterole", role.admin()).set("rolbypassrls", role.admin())
          .set("rolcanlogin", role.info().privileges().contains(Privilege.LOGIN))
          .set("rolconnlimit", role.info().connectionLimit())
          .set("rolpassword", authid ? null : "********");
      if (!authid) {
        row.set("rolconfig", PgSettings.asConfig(settings.get(role.name())));
      }
    }
  }

  private static void users(CatalogSnapshot s, CatalogTable.Rows rows) {
    Map<String, Map<String, String>> settings = PgSettings.roleSettings(s);
    for (Role role : s.roles()) {
      if (role.info().privileges().contains(Privilege.LOGIN)) {
        rows.add().set("usename", role.name()).set("usesysid", role.oid())
            .set("usesuper", role.admin()).set("usebypassrls", role.admin())
            .set("passwd", "********")
            .set("useconfig", PgSettings.asConfig(settings.get(role.name())));
      }
    }
  }

  private static void memberships(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Membership m : s.catalog().roles().memberships()) {
      s.role(m.role()).ifPresent(role -> s.role(m.member()).ifPresent(member ->
          rows.add().set("roleid", role.oid()).set("member", member.oid())
              .set("grantor", CatalogSnapshot.ownerOid())));
    }
  }

  private static void relationsOfKind(CatalogSnapshot s, CatalogTable.Rows rows, boolean views) {
    String owner = s.role(CatalogSnapshot.ownerOid()).map(Role::name).orElse(null);
    for (Relation r : s.relations()) {
      if (r.isView() == views) {
        CatalogTable.Row row = rows.add().set("schemaname", r.namespace().name());
        if (views) {
          row.set("viewname", r.name()).set("viewowner", owner).set("definition", r.viewSql());
        } else {
          row.set("tablename", r.name()).set("tableowner", owner);
        }
      }
    }
  }

  /** The tables' statistics: only the planner's estimate of their rows, as live rows. */
  private static void tableStatistics(CatalogSnapshot s, CatalogTable.Rows rows) {
    for (Relation r : s.relations()) {
      if (!r.isView()) {
        Double count = r.rowCount();
        rows.add().set("relid", r.oid()).set("schemaname", r.namespace().name())
            .set("relname", r.name()).set("n_live_tup", count == null ? 0 : count);
      }
    }
  }

  private static void accessMethods(CatalogSnapshot s, CatalogTable.Rows rows) {
    rows.add().set("oid", Oids.HEAP).set("amname", "heap")
        .set("amhandler", "heap_tableam_handler").set("amtype", 't');
    rows.add().set("oid", Oids.BTREE).set("amname", "btree").set("amhandler", "bthandler")
        .set("amtype", 'i');
  }

  private static void collations(CatalogSnapshot s, CatalogTable.Rows rows) {
    rows.add().set("oid", Oids.DEFAULT_COLLATION).set("collname", "default")
        .set("collnamespace", Oids.PG_CATALOG_NAMESPACE).set("collowner", CatalogSnapshot.ownerOid())
        .set("collprovider", 'd').set("collisdeterministic", true).set("collencoding", -1);
    rows.add().set("oid", Oids.C_COLLATION).set("collname", "C")
        .set("collnamespace", Oids.PG_CATALOG_NAMESPACE).set("collowner", CatalogSnapshot.ownerOid())
        .set("collprovider", 'c').set("collisdeterministic", true).set("collencoding", -1)
        .set("collcollate", "C").set("collctype", "C");
  }
}
