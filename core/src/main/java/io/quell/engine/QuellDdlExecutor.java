package io.quell.engine;

import io.quell.catalog.LimitChange;
import io.quell.catalog.PasswordChange;
import io.quell.catalog.Principal;
import io.quell.catalog.Privilege;
import io.quell.catalog.PrivilegeChange;
import io.quell.catalog.ViewDefinition;
import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.ActivityPolicy;
import io.quell.execution.CancelRequest;
import io.quell.parser.CancelTarget;
import io.quell.parser.RoleOption;
import io.quell.parser.SqlAlterRoleSetting;
import io.quell.parser.SqlAlterUser;
import io.quell.parser.SqlCancel;
import io.quell.parser.SqlCreateUser;
import io.quell.parser.SqlCreateView;
import io.quell.parser.SqlDrainNode;
import io.quell.parser.SqlDropUser;
import io.quell.parser.SqlDropView;
import io.quell.parser.SqlRoleMembership;
import io.quell.session.ActivityKind;
import io.quell.session.RunningQuery;
import io.quell.session.SessionVariables;

import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.server.DdlExecutorImpl;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Util;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Executes Quell's statements that return no rows, on Calcite's own DDL path (Calcite calls
 * {@link #executeDdl} for every node of kind DDL or SET_OPTION). The caller is found through
 * the connection in the prepare context; the engine through the system schema in its root.
 */
public final class QuellDdlExecutor extends DdlExecutorImpl {
  public static final QuellDdlExecutor INSTANCE = new QuellDdlExecutor();

  private QuellDdlExecutor() {
  }

  /** Executes {@code CANCEL SESSION(S) | QUERY(IES)}; the count goes back to the client. */
  public void execute(SqlCancel node, CalcitePrepare.Context context) {
    Caller caller = Caller.of(context);
    RunningQuery statement = caller.session().activeQuery();
    long count = caller.engine().cancelStatement().execute(caller.principal(),
        caller.session(), request(node, context), statement == null ? node.toString() : statement.sql());
    if (statement != null) {
      statement.setUpdateCount(count);
    }
  }

  /**
   * The CANCEL statement as an operation; a source that is not a literal is planned here, in
   * the CANCEL's own context (a scalar expression as a query of one row).
   */
  private static CancelRequest request(SqlCancel node, CalcitePrepare.Context context) {
    SqlNode source = node.source();
    CancelRequest.IdSource ids;
    if (source instanceof SqlLiteral literal) {
      ids = new CancelRequest.Literal(
          literal.getTypeName() == SqlTypeName.NULL ? null : literal.toValue());
    } else {
      SqlNode query = source.getKind().belongsTo(SqlKind.QUERY) ? source
          : SqlStdOperatorTable.VALUES.createCall(source.getParserPosition(),
              SqlStdOperatorTable.ROW.createCall(source.getParserPosition(), source));
      ids = new CancelRequest.Query(
          Caller.of(context).engine().preparation().plan(context, query));
    }
    ActivityKind kind = node.target() == CancelTarget.SESSION
        ? ActivityKind.SESSION : ActivityKind.QUERY;
    return new CancelRequest(node.getOperator().getName(), kind, node.isMultiple(),
        node.ifExists(), ids, message(node.message()));
  }

  /** The text of WITH MESSAGE, bound by now if it was a parameter; null for none or NULL. */
  private static String message(SqlNode message) {
    if (message == null) {
      return null;
    }
    if (message instanceof SqlDynamicParam) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE,
          "WITH MESSAGE ?: no value is bound to the parameter");
    }
    // Adjacent string literals ('a' 'b') arrive as a chain, which unchain joins.
    SqlLiteral literal = SqlLiteral.unchain(message);
    return literal.getTypeName() == SqlTypeName.NULL ? null : literal.toValue();
  }

  public void execute(SqlCreateUser node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, "create roles");
    caller.engine().catalog().roles().create(name(node.name()), !node.isRole(), node.ifNotExists,
        privileges(node.options()), password(node.password()),
        limits(node.connectionLimit(), node.queryLimit()));
  }

  public void execute(SqlAlterUser node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, "alter roles");
    caller.engine().catalog().roles().alter(name(node.name()), node.ifExists(),
        privileges(node.options()), password(node.password()),
        limits(node.connectionLimit(), node.queryLimit()));
  }

  /**
   * {@code ALTER ROLE name SET | RESET}: an admin's for any role, a role's own for itself (as
   * PostgreSQL lets a role set its own defaults). The value is checked now, as SET would check
   * it, not at the role's next login.
   */
  public void execute(SqlAlterRoleSetting node, CalcitePrepare.Context context) {
    Caller caller = Caller.of(context);
    String role = name(node.name());
    if (!role.equals(caller.principal().name())) {
      ActivityPolicy.checkAdmin(caller.principal(), "alter the settings of other roles");
    }
    String variable = node.variable() == null ? null : name(node.variable());
    // RESET, and SET ... = DEFAULT, must still name a variable sessions may change.
    String value = variable == null ? null : SessionVariables.canonical(variable,
        node.value() == null ? null : valueText(node.value()));
    caller.engine().catalog().roles().changeSetting(role, node.ifExists(), variable, value);
  }

  public void execute(SqlDropUser node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, "drop roles");
    caller.engine().catalog().roles().drop(names(node.names()), node.ifExists());
  }

  public void execute(SqlRoleMembership node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, node.isGrant() ? "grant roles" : "revoke roles");
    if (node.isGrant()) {
      caller.engine().catalog().roles().grant(names(node.roles()), names(node.members()));
    } else {
      caller.engine().catalog().roles().revoke(names(node.roles()), names(node.members()));
    }
  }

  /**
   * {@code CREATE [OR REPLACE] VIEW}: the query must be valid where the view will live, as the
   * session would run it; only then is the view stored, as SQL text of its query with SHOW
   * already turned into the system tables it reads.
   */
  public void execute(SqlCreateView node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, "create views");
    ViewSchema schema = viewSchema(context, node.name(), false);
    String name = Util.last(node.name().names);
    if (schema.hasTable(name)) {
      throw node.getReplace()
          ? new QuellException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a view")
          : new QuellException(SqlState.DUPLICATE_TABLE,
              "relation \"" + name + "\" already exists");
    }
    ViewDefinition view = new ViewDefinition(schema.name(), name,
        renamed(node).toSqlString(CalciteSqlDialect.DEFAULT).getSql());
    requireDistinctColumns(schema.analyze(view));
    caller.engine().catalog().views().create(view, node.getReplace());
  }

  /**
   * Starts draining this node and returns at once: the caller's own session ends with the
   * others, so waiting here would wait for itself.
   */
  public void execute(SqlDrainNode node, CalcitePrepare.Context context) {
    adminOnly(context, "drain the node").engine().drain().start();
  }

  public void execute(SqlDropView node, CalcitePrepare.Context context) {
    Caller caller = adminOnly(context, "drop views");
    ViewSchema schema = viewSchema(context, node.name(), node.ifExists());
    if (schema == null) {
      return;
    }
    String name = Util.last(node.name().names);
    if (schema.hasTable(name)) {
      throw new QuellException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a view");
    }
    caller.engine().catalog().views().drop(schema.name(), name, node.ifExists());
  }

  /**
   * The schema a view named {@code name} lives in: the one its name gives, else the session's
   * default. Null for a schema that does not exist if {@code ifExists}, else 3F000; 42501 for a
   * schema that holds no views, such as quell_internal.
   */
  private static ViewSchema viewSchema(CalcitePrepare.Context context, SqlIdentifier name,
      boolean ifExists) {
    List<String> path =
        name.isSimple() ? context.getDefaultSchemaPath() : Util.skipLast(name.names);
    if (path.isEmpty()) {
      throw new QuellException(SqlState.INVALID_SCHEMA_NAME,
          "no schema has been selected for view " + name);
    }
    CalciteSchema schema = context.getRootSchema();
    for (String part : path) {
      schema = schema.getSubSchema(part, false);
      if (schema == null) {
        if (ifExists) {
          return null;
        }
        throw new QuellException(SqlState.INVALID_SCHEMA_NAME,
            "schema \"" + String.join(".", path) + "\" does not exist");
      }
    }
    if (!(schema.schema instanceof ViewSchema views)) {
      throw new QuellException(SqlState.INSUFFICIENT_PRIVILEGE,
          "schema " + String.join(".", path) + " cannot be modified");
    }
    return views;
  }

  /** The view's query, its columns renamed as the statement lists them. */
  private static SqlNode renamed(SqlCreateView node) {
    if (node.columns() == null) {
      return node.query();
    }
    SqlParserPos pos = node.getParserPosition();
    List<SqlNode> alias = new ArrayList<>();
    alias.add(node.query());
    alias.add(new SqlIdentifier(Util.last(node.name().names), pos));
    alias.addAll(node.columns().getList());
    return new SqlSelect(pos, null, SqlNodeList.SINGLETON_STAR,
        SqlStdOperatorTable.AS.createCall(pos, alias), null, null, null, null, null, null, null,
        null, null);
  }

  /** As in PostgreSQL, a view's columns must have distinct names, or some could not be read. */
  private static void requireDistinctColumns(RelDataType rowType) {
    Set<String> seen = new HashSet<>();
    for (RelDataTypeField field : rowType.getFieldList()) {
      if (!seen.add(field.getName().toLowerCase(Locale.ROOT))) {
        throw new QuellException(SqlState.DUPLICATE_COLUMN,
            "column \"" + field.getName() + "\" specified more than once");
      }
    }
  }

  /**
   * {@code SET name = value}, {@code SET name TO value}, {@code RESET name | ALL}; with
   * {@code ALTER SYSTEM} before them, the node's settings (admins only).
   */
  public void execute(SqlSetOption node, CalcitePrepare.Context context) {
    Caller caller = Caller.of(context);
    String name = name(node.getName());
    SqlNode value = node.getValue();
    if ("SYSTEM".equalsIgnoreCase(node.getScope())) {
      ActivityPolicy.checkAdmin(caller.principal(), "change the node's settings");
      SystemSettings settings = caller.engine().systemSettings();
      if (value == null && name.equalsIgnoreCase("all")) {
        settings.resetAll();
      } else {
        settings.set(name, value == null ? null : valueText(value));
      }
      return;
    }
    if (value == null && name.equalsIgnoreCase("all")) {
      caller.session().variables().resetAll();
      return;
    }
    caller.session().variables().set(name, value == null ? null : valueText(value));
  }

  private static Caller adminOnly(CalcitePrepare.Context context, String what) {
    Caller caller = Caller.of(context);
    ActivityPolicy.checkAdmin(caller.principal(), what);
    return caller;
  }

  /** A value as the user wrote it: literal text, or a bare word such as {@code DEFAULT}. */
  private static String valueText(SqlNode value) {
    if (value instanceof SqlIdentifier id) {
      String word = id.toString();
      return word.equalsIgnoreCase("default") ? null : word;
    }
    if (value instanceof SqlLiteral literal) {
      return literal.getTypeName() == SqlTypeName.NULL ? null : literal.toValue();
    }
    return value.toString();
  }

  private static String name(SqlIdentifier id) {
    // Unquoted names reach us lower-cased by the connection's casing; quoted ones stay exact.
    return id.isSimple() ? id.getSimple() : id.toString().toLowerCase(Locale.ROOT);
  }

  private static List<String> names(SqlNodeList list) {
    return list.stream().map(n -> name((SqlIdentifier) n)).toList();
  }

  /** The role options as written, as the privileges they switch on and off. */
  private static PrivilegeChange privileges(SqlNodeList options) {
    Set<Privilege> granted = EnumSet.noneOf(Privilege.class);
    Set<Privilege> revoked = EnumSet.noneOf(Privilege.class);
    for (SqlNode node : options) {
      RoleOption option = ((SqlLiteral) node).getValueAs(RoleOption.class);
      (option.enables() ? granted : revoked).add(privilege(option));
    }
    return new PrivilegeChange(granted, revoked);
  }

  private static Privilege privilege(RoleOption option) {
    return switch (option) {
      case LOGIN, NOLOGIN -> Privilege.LOGIN;
      case VIEWACTIVITY, NOVIEWACTIVITY -> Privilege.VIEWACTIVITY;
      case VIEWACTIVITYREDACTED, NOVIEWACTIVITYREDACTED -> Privilege.VIEWACTIVITYREDACTED;
      case CANCELQUERY, NOCANCELQUERY -> Privilege.CANCELQUERY;
    };
  }

  private static LimitChange limits(SqlNode connectionLimit, SqlNode queryLimit) {
    return new LimitChange(limit(connectionLimit, "CONNECTION LIMIT", "sessions"),
        limit(queryLimit, "QUERY LIMIT", "running queries"));
  }

  /** The limit given, or null for none: a whole number of {@code what}, -1 meaning unlimited. */
  private static Integer limit(SqlNode limit, String option, String what) {
    if (limit == null) {
      return null;
    }
    BigDecimal n = ((SqlLiteral) limit).getValueAs(BigDecimal.class);
    if (n.stripTrailingZeros().scale() > 0
        || n.compareTo(BigDecimal.valueOf(Principal.UNLIMITED)) < 0
        || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new QuellException(SqlState.INVALID_PARAMETER_VALUE, option + " " + n
          + ": expected a whole number of " + what + ", or -1 for no limit");
    }
    return n.intValueExact();
  }

  private static PasswordChange password(SqlNode password) {
    if (password == null) {
      return PasswordChange.UNCHANGED;
    }
    SqlLiteral literal = (SqlLiteral) password;
    return literal.getTypeName() == SqlTypeName.NULL ? PasswordChange.CLEAR
        : PasswordChange.set(literal.getValueAs(String.class));
  }
}
