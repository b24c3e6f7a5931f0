<#--
  Quell's session-control statements. Productions only build SqlNodes; every rule about what
  a statement means lives in the Java classes of io.quell.parser and in the engine.
-->

/** Parses {@code [ALL] [CLUSTER | LOCAL] SESSIONS | QUERIES | STATEMENTS} after SHOW. */
SqlNode ShowActivityRest(Span s) :
{
    boolean all = false;
    ActivityScope scope = ActivityScope.CLUSTER;
}
{
    [ <ALL> { all = true; } ]
    [
        <CLUSTER> { scope = ActivityScope.CLUSTER; }
    |
        <LOCAL> { scope = ActivityScope.LOCAL; }
    ]
    (
        <SESSIONS> { return new SqlShowSessions(s.end(this), all, scope); }
    |
        ( <QUERIES> | <STATEMENTS> ) { return new SqlShowQueries(s.end(this), all, scope); }
    )
}

/** SHOW SESSIONS or SHOW QUERIES where a query or table may stand. */
SqlNode ShowActivityQuery() :
{
    final Span s;
    final SqlNode node;
}
{
    <SHOW> { s = span(); }
    node = ShowActivityRest(s) { return node; }
}

/** Every SHOW statement: activity, users, roles, grants and session variables. */
SqlNode SqlShow() :
{
    final Span s;
    final SqlNode node;
    final SqlIdentifier name;
    SqlNodeList names = null;
}
{
    <SHOW> { s = span(); }
    (
        LOOKAHEAD(3)
        node = ShowActivityRest(s)
    |
        // USERS, ROLES and GRANTS are non-reserved; after SHOW they are keywords.
        LOOKAHEAD(1)
        <USERS> { node = new SqlShowUsers(s.end(this), false); }
    |
        LOOKAHEAD(1)
        <ROLES> { node = new SqlShowUsers(s.end(this), true); }
    |
        LOOKAHEAD(1)
        <GRANTS> [ <FOR> names = RoleNameList() ]
        { node = new SqlShowGrants(s.end(this), names); }
    |
        <ALL> { node = new SqlShowVariable(s.end(this), null); }
    |
        // PostgreSQL's and CockroachDB's "SHOW SESSION name" is "SHOW name"; a bare
        // "SHOW SESSION" is an error.
        LOOKAHEAD(1)
        <SESSION> name = CompoundIdentifier()
        { node = new SqlShowVariable(s.end(this), name); }
    |
        name = CompoundIdentifier()
        { node = new SqlShowVariable(s.end(this), name); }
    )
    { return node; }
}

boolean IfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

boolean IfNotExistsOpt() :
{
}
{
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

/** The ids to cancel for CANCEL SESSIONS / QUERIES: a query, parenthesized or not. */
SqlNode CancelSourceQuery() :
{
    final SqlNode query;
}
{
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    {
        if (!query.isA(SqlKind.QUERY)) {
            throw SqlUtil.newContextException(query.getParserPosition(),
                RESOURCE.illegalNonQueryExpression());
        }
        return query;
    }
}

/** CANCEL SESSION[S] / CANCEL QUER(Y|IES) [IF EXISTS] ... */
SqlNode SqlCancel() :
{
    final Span s;
    final boolean ifExists;
    final SqlNode source;
}
{
    <CANCEL> { s = span(); }
    (
        <SESSION> ifExists = IfExistsOpt()
        source = Expression(ExprContext.ACCEPT_SUB_QUERY)
        { return new SqlCancelSession(s.end(this), ifExists, source); }
    |
        <SESSIONS> ifExists = IfExistsOpt()
        source = CancelSourceQuery()
        { return new SqlCancelSessions(s.end(this), ifExists, source); }
    |
        <QUERY> ifExists = IfExistsOpt()
        source = Expression(ExprContext.ACCEPT_SUB_QUERY)
        { return new SqlCancelQuery(s.end(this), ifExists, source); }
    |
        <QUERIES> ifExists = IfExistsOpt()
        source = CancelSourceQuery()
        { return new SqlCancelQueries(s.end(this), ifExists, source); }
    )
}

SqlIdentifier RoleName() :
{
    final SqlIdentifier name;
}
{
    name = SimpleIdentifier() { return name; }
}

SqlNodeList RoleNameList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlIdentifier name;
}
{
    name = RoleName() { s = span(); list.add(name); }
    ( <COMMA> name = RoleName() { list.add(name); } )*
    { return new SqlNodeList(list, s.end(this)); }
}

/** Role roleOptions; PASSWORD goes to {@code password[0]}, the rest to {@code roleOptions}. */
void RoleOptions(List<SqlNode> roleOptions, SqlNode[] password) :
{
}
{
    [ <WITH> ]
    (
        <PASSWORD>
        (
            password[0] = StringLiteral()
        |
            <NULL> { password[0] = SqlLiteral.createNull(getPos()); }
        )
    |
        (
            <VIEWACTIVITY> | <NOVIEWACTIVITY> | <VIEWACTIVITYREDACTED>
        |   <NOVIEWACTIVITYREDACTED> | <CANCELQUERY> | <NOCANCELQUERY> | <LOGIN> | <NOLOGIN>
        )
        { roleOptions.add(RoleOption.literal(token.image, getPos())); }
    )*
}

SqlCreate SqlCreateUser(Span s, boolean replace) :
{
    final boolean role;
    final boolean ifNotExists;
    final SqlIdentifier name;
    final List<SqlNode> roleOptions = new ArrayList<SqlNode>();
    final SqlNode[] password = {null};
}
{
    ( <USER> { role = false; } | <ROLE> { role = true; } )
    ifNotExists = IfNotExistsOpt()
    name = RoleName()
    RoleOptions(roleOptions, password)
    {
        return new SqlCreateUser(s.end(this), replace, role, ifNotExists, name,
            new SqlNodeList(roleOptions, s.end(this)), password[0]);
    }
}

SqlNode SqlAlterUser() :
{
    final Span s;
    final boolean role;
    final boolean ifExists;
    final SqlIdentifier name;
    final List<SqlNode> roleOptions = new ArrayList<SqlNode>();
    final SqlNode[] password = {null};
}
{
    <ALTER> { s = span(); }
    ( <USER> { role = false; } | <ROLE> { role = true; } )
    ifExists = IfExistsOpt()
    name = RoleName()
    RoleOptions(roleOptions, password)
    {
        return new SqlAlterUser(s.end(this), role, ifExists, name,
            new SqlNodeList(roleOptions, s.end(this)), password[0]);
    }
}

SqlDrop SqlDropUser(Span s, boolean replace) :
{
    final boolean role;
    final boolean ifExists;
    final SqlNodeList names;
}
{
    ( <USER> { role = false; } | <ROLE> { role = true; } )
    ifExists = IfExistsOpt()
    names = RoleNameList()
    { return new SqlDropUser(s.end(this), role, ifExists, names); }
}

SqlNode SqlGrantRole() :
{
    final Span s;
    final SqlNodeList roles;
    final SqlNodeList members;
}
{
    <GRANT> { s = span(); }
    roles = RoleNameList()
    <TO>
    members = RoleNameList()
    { return new SqlGrantRole(s.end(this), roles, members); }
}

SqlNode SqlRevokeRole() :
{
    final Span s;
    final SqlNodeList roles;
    final SqlNodeList members;
}
{
    <REVOKE> { s = span(); }
    roles = RoleNameList()
    <FROM>
    members = RoleNameList()
    { return new SqlRevokeRole(s.end(this), roles, members); }
}

/** Calcite's SET / RESET, plus PostgreSQL's {@code SET name TO value}. */
SqlSetOption QuellSetOption(Span s, String scope) :
{
    final SqlIdentifier name;
    final SqlNode val;
    final SqlSetOption option;
}
{
    LOOKAHEAD(<SET> CompoundIdentifier() <TO>)
    <SET> { s.add(this); }
    name = CompoundIdentifier()
    <TO>
    (
        val = Literal()
    |
        val = SimpleIdentifier()
    |
        <ON> { val = new SqlIdentifier("ON", getPos()); }
    )
    { return new SqlSetOption(s.end(val), scope, name, val); }
|
    option = SqlSetOption(s, scope) { return option; }
}
