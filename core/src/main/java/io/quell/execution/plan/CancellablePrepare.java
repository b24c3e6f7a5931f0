package io.quell.execution.plan;

import io.quell.execution.PlannedQuery;
import io.quell.execution.QueryThread;
import io.quell.parser.DdlKeywords;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import org.apache.calcite.DataContext;
import org.apache.calcite.DataContexts;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.interpreter.BindableConvention;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.config.CalciteSystemProperty;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql.validate.implicit.TypeCoercionFactory;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.util.CancelFlag;

import com.google.common.collect.ImmutableList;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Calcite's preparation of a statement, cancellable throughout: every planner that runs for
 * the statement carries its cancel flag (the one statement_timeout raises too), preparation
 * stops between its phases once the flag is up, and the plan it produces checks the flag in
 * every operator. Installed as the prepare factory of each session's Calcite connection; it
 * prepares with the engine's configuration (its conformance and operator table, see
 * {@link ConfiguredContext}) and convertlets, and gives {@code SESSION_USER} the session's
 * user ({@link SessionUserConvertletTable}). A query whose plan is in the engine's
 * {@link PlanCache} is not prepared at all.
 */
public final class CancellablePrepare extends CalcitePrepareImpl {
  /**
   * The connection-test queries pools send, which Calcite answers without planning (its
   * {@code CalcitePrepareImpl.SIMPLE_SQLS}, not public): lifted and cached, {@code SELECT 1}
   * took 1.4x as long (benchmark figure 7).
   */
  private static final Set<String> UNPLANNED = Set.of("SELECT 1", "select 1",
      "SELECT 1 FROM DUAL", "select 1 from dual", "values 1", "VALUES 1");

  private final PlanCache cache;
  private final CalciteConnectionConfig config;
  private final SqlRexConvertletTable convertlets;
  private final TypeCoercionFactory coercion;

  /**
   * Preparation over {@code cache} with {@code config}, {@code convertlets} before Calcite's
   * own for the calls they convert, and the validator's implicit casts from {@code coercion}.
   */
  public CancellablePrepare(PlanCache cache, CalciteConnectionConfig config,
      SqlRexConvertletTable convertlets, TypeCoercionFactory coercion) {
    this.cache = cache;
    this.config = config;
    this.convertlets = convertlets;
    this.coercion = coercion;
  }

  private CalcitePrepare.Context configured(CalcitePrepare.Context context) {
    return ConfiguredContext.of(context, config);
  }

  @Override public ParseResult parse(CalcitePrepare.Context context, String sql) {
    return super.parse(configured(context), sql);
  }

  @Override public ConvertResult convert(CalcitePrepare.Context context, String sql) {
    return super.convert(configured(context), sql);
  }

  @Override public AnalyzeViewResult analyzeView(CalcitePrepare.Context context, String sql,
      boolean fail) {
    return super.analyzeView(configured(context), sql, fail);
  }

  @Override public void executeDdl(CalcitePrepare.Context context, SqlNode node) {
    super.executeDdl(configured(context), node);
  }

  @Override public <T> CalciteSignature<T> prepareQueryable(CalcitePrepare.Context context,
      Queryable<T> queryable) {
    return super.prepareQueryable(configured(context), queryable);
  }

  /**
   * A query's plan from the cache, else prepared and cached: the plan of its text with the
   * literals lifted into parameters, whose values this statement's signature carries as
   * internal parameters (where Calcite's generated code reads {@code ?0}, {@code ?1}...), so
   * that statements differing only in literals share it. A lifted text that does not prepare
   * (a GROUP BY expression that must match the select list, a function that needs a literal)
   * is remembered, and the original text prepared instead.
   */
  @Override public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context statement,
      CalcitePrepare.Query<T> query, Type elementType, long maxRowCount) {
    CalcitePrepare.Context context = configured(statement);
    if (query.sql == null || UNPLANNED.contains(query.sql)) {
      return prepareUncached(context, query, elementType, maxRowCount);
    }
    Optional<LiteralLifter.Lifted> lifted = LiteralLifter.lift(query.sql);
    lifted.ifPresent(l -> QueryThread.fingerprinted(query.sql, l.fingerprint()));
    Optional<PlanCache.Key> liftedKey = lifted.flatMap(
        l -> cache.key(context, l.lifted(), elementType, l.callerDependent()));
    if (liftedKey.isEmpty()) {
      return prepareUncached(context, query, elementType, maxRowCount);
    }
    List<Object> values = lifted.get().values();
    if (!values.isEmpty() && !cache.isUnliftable(liftedKey.get())) {
      CalciteSignature<T> plan = cached(liftedKey.get());
      if (plan == null) {
        try {
          plan = prepareAndCache(context, lifted.get().lifted(), elementType, liftedKey.get());
        } catch (RuntimeException e) {
          if (QueryThread.isCanceled()) {
            throw e;
          }
          cache.markUnliftable(liftedKey.get());
          return prepareSql(context, query, elementType, maxRowCount);
        }
      }
      return forStatement(plan, query.sql, values, maxRowCount);
    }
    PlanCache.Key key = values.isEmpty() ? liftedKey.get()
        : new PlanCache.Key(lifted.get().normalized(), liftedKey.get().defaultSchemaPath(),
            liftedKey.get().scope(), elementType, liftedKey.get().caller());
    CalciteSignature<T> plan = cached(key);
    if (plan == null) {
      plan = prepareAndCache(context, query.sql, elementType, key);
    }
    return forStatement(plan, query.sql, List.of(), maxRowCount);
  }

  @SuppressWarnings("unchecked")
  private <T> CalciteSignature<T> cached(PlanCache.Key key) {
    return (CalciteSignature<T>) cache.get(key);
  }

  private <T> CalciteSignature<T> prepareAndCache(CalcitePrepare.Context context, String sql,
      Type elementType, PlanCache.Key key) {
    CalciteSignature<T> plan = super.prepareSql(context, CalcitePrepare.Query.of(sql),
        elementType, -1);
    cache.put(key, plan);
    return plan;
  }

  /**
   * The signature of one statement sharing {@code plan}: its own text and row limit, the
   * lifted literals' values as parameters only the plan sees, and the plan's own parameters
   * for the client to bind only if nothing was lifted. It binds to the tables through the
   * schema the plan was made with, as a prepared statement does: the plan's tables are the
   * node's, the same objects in every session's schema (views are expanded in the plan, and
   * system tables answer per caller at scan time), and a schema snapshot fresh from this
   * statement's context would look each table up by name again, which cost as much as the
   * rest of a cache hit.
   */
  private static <T> CalciteSignature<T> forStatement(CalciteSignature<T> plan, String sql,
      List<Object> values, long maxRowCount) {
    Map<String, Object> internal = new LinkedHashMap<>(plan.internalParameters);
    for (int i = 0; i < values.size(); i++) {
      internal.put("?" + i, values.get(i));
    }
    return new CalciteSignature<>(sql, values.isEmpty() ? plan.parameters : ImmutableList.of(),
        internal, plan.rowType, plan.columns, plan.cursorFactory, plan.rootSchema,
        plan.getCollationList(), maxRowCount, plan::enumerable, plan.statementType);
  }

  /**
   * A statement the cache does not keep. DDL and session control (CANCEL, SET, CREATE USER
   * ...) go straight to the DDL executor: Calcite builds a cost-based planner with all its
   * rules before it parses any statement, which these never use; for a CANCEL that planner was
   * most of the work before the victim's flag is raised. Any other statement, or one that does
   * not parse, is Calcite's to prepare.
   */
  private <T> CalciteSignature<T> prepareUncached(CalcitePrepare.Context context,
      CalcitePrepare.Query<T> query, Type elementType, long maxRowCount) {
    SqlNode ddl = query.sql != null && DdlKeywords.startsDdl(query.sql)
        ? parseDdl(context, query.sql) : null;
    if (ddl == null) {
      return super.prepareSql(context, query, elementType, maxRowCount);
    }
    Hook.PARSE_TREE.run(new Object[] {query.sql, ddl});
    executeDdl(context, ddl);
    return new CalciteSignature<>(query.sql, ImmutableList.of(), ImmutableMap.of(), null,
        ImmutableList.of(), Meta.CursorFactory.OBJECT, null, ImmutableList.of(), -1, null,
        Meta.StatementType.OTHER_DDL);
  }

  /** {@code sql} parsed as Calcite would for this connection, if it is DDL; else null. */
  private SqlNode parseDdl(CalcitePrepare.Context context, String sql) {
    CalciteConnectionConfig config = context.config();
    SqlParser.Config parserConfig = parserConfig()
        .withQuotedCasing(config.quotedCasing())
        .withUnquotedCasing(config.unquotedCasing())
        .withQuoting(config.quoting())
        .withConformance(config.conformance())
        .withCaseSensitive(config.caseSensitive());
    SqlParserImplFactory parserFactory = config.parserFactory(SqlParserImplFactory.class, null);
    if (parserFactory != null) {
      parserConfig = parserConfig.withParserFactory(parserFactory);
    }
    try {
      SqlNode node = createParser(sql, parserConfig).parseStmt();
      return node.getKind().belongsTo(SqlKind.DDL) ? node : null;
    } catch (SqlParseException e) {
      return null;
    }
  }

  /**
   * As Calcite's own planner with its default rules, but a {@link CancellableVolcanoPlanner}
   * whose context holds the statement's flag. Runs on the statement's thread, whose flag
   * {@link QueryThread} holds.
   */
  @Override protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    // Calcite's CalcitePrepare.Context shadows the planner's Context here.
    org.apache.calcite.plan.Context statement = externalContext != null ? externalContext
        : Contexts.of(prepareContext.config());
    VolcanoPlanner planner = new CancellableVolcanoPlanner(costFactory,
        Contexts.chain(Contexts.of(new CancelFlag(QueryThread.cancelFlag())), statement));
    planner.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    if (CalciteSystemProperty.ENABLE_COLLATION_TRAIT.value()) {
      planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
    }
    planner.setTopDownOpt(prepareContext.config().topDownOpt());
    RelOptUtil.registerDefaultRules(planner, prepareContext.config().materializationsEnabled(),
        enableBindable);
    Hook.PLANNER.run(planner);
    return planner;
  }

  /**
   * Plans {@code query}, a part of the statement being executed (a CANCEL's source), from its
   * syntax tree: the same preparation as any query (the statement's flag in the planner,
   * cancel checks and memory accounting in the plan), with no text round trip and no
   * statement of its own; not cached, as the statement around it is not.
   */
  public PlannedQuery plan(CalcitePrepare.Context outer, SqlNode query) {
    CalcitePrepare.Context context = configured(outer);
    CalciteCatalogReader catalogReader = new CalciteCatalogReader(context.getRootSchema(),
        context.getDefaultSchemaPath(), context.getTypeFactory(), context.config());
    CancellablePreparingStmt statement = (CancellablePreparingStmt) getPreparingStmt(context,
        Object[].class, catalogReader, createPlanner(context));
    RelRoot root = statement.convert(query);
    CalciteSignature<Object> plan = super.prepareSql(context,
        CalcitePrepare.Query.of(root.project()), Object[].class, -1);
    return new PlannedQuery(root.validatedRowType,
        plan.enumerable(withValues(context.getDataContext(), plan.internalParameters)));
  }

  /**
   * {@code context} with the values a plan keeps beside its code (constants the generated
   * code reads by name), as Calcite's connection merges them for a statement it runs.
   */
  private static DataContext withValues(DataContext context, Map<String, Object> values) {
    return new DataContext() {
      @Override public SchemaPlus getRootSchema() {
        return context.getRootSchema();
      }

      @Override public JavaTypeFactory getTypeFactory() {
        return context.getTypeFactory();
      }

      @Override public QueryProvider getQueryProvider() {
        return context.getQueryProvider();
      }

      @Override public Object get(String name) {
        Object value = values.get(name);
        return value != null ? value : context.get(name);
      }
    };
  }

  @Override protected SqlRexConvertletTable createConvertletTable() {
    SqlRexConvertletTable calcite = super.createConvertletTable();
    return new SessionUserConvertletTable(call -> {
      SqlRexConvertlet convertlet = convertlets.get(call);
      return convertlet != null ? convertlet : calcite.get(call);
    });
  }

  @Override protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context,
      Type elementType, CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    // As Calcite's own, with a preparing statement that checks the flag.
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    return new CancellablePreparingStmt(this, context, catalogReader, context.getTypeFactory(),
        context.getRootSchema(), prefer,
        createCluster(planner, new RexBuilder(context.getTypeFactory())),
        enableBindable ? BindableConvention.INSTANCE : EnumerableConvention.INSTANCE,
        createConvertletTable(), coercion, QueryThread.cancelFlag());
  }
}
