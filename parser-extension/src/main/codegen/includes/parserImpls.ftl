<#--
  Quell's statements: session control, users and roles, views. Productions only build
  SqlNodes; every rule about what a statement means lives in the Java classes of
  io.quell.parser and in the engine.
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

/**
 * SHOW SESSIONS or SHOW QUERIES as a leaf query, beside SELECT, VALUES and TABLE t, so it may
 * stand wherever a query may: WITH, FROM (...), IN (...), set operations. The build adds the
 * call to Calcite's LeafQuery production (see pom.xml).
 */
SqlNode ShowActivityQuery() :
{
    final Span s;
    final SqlNode node;
}
{
    <SHOW> { s = span(); }
    node = ShowActivityRest(s) { return node; }
}

/**
 * What may follow a query at the start of a statement, here SHOW SESSIONS / QUERIES: set
 * operations, then ORDER BY, LIMIT, OFFSET, FETCH; as after SELECT.
 */
SqlNode QueryContinuation(SqlNode first) :
{
    final List<Object> list = new ArrayList<Object>();
    SqlNode e;
}
{
    { list.add(first); }
    ( AddSetOpQuery(list, ExprContext.ACCEPT_QUERY) )*
    { e = SqlParserUtil.toTree(list); }
    e = OrderByLimitOpt(e)
    { return e; }
}

/** Every SHOW statement: activity, users, roles, grants, tables and session variables. */
SqlNode SqlShow() :
{
    final Span s;
    SqlNode node;
    final SqlIdentifier name;
    SqlNodeList names = null;
    SqlIdentifier schema = null;
}
{
    <SHOW> { s = span(); }
    (
        LOOKAHEAD(3)
        node = ShowActivityRest(s)
        // A query, as anywhere else: SHOW SESSIONS UNION ..., SHOW QUERIES ORDER BY query_id.
        node = QueryContinuation(node)
    |
        // USERS, ROLES, GRANTS and TABLES are non-reserved; after SHOW they are keywords.
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
        LOOKAHEAD(1)
        <TABLES> [ <FROM> schema = CompoundIdentifier() ]
        { node = new SqlShowTables(s.end(this), schema); }
    |
        <ALL> { node = new SqlShowVariable(s.end(this), null); }
    |
        // PostgreSQL's and CockroachDB's "SHOW SESSION name" is "SHOW name"; a bare
        // "SHOW SESSION" is an error.
        LOOKAHEAD(1)
        <SESSION> name = CompoundIdentifier()
        { node = new SqlShowVariable(s.end(this), name); }
    |
        // A reserved word, so no identifier; PostgreSQL and CockroachDB show it all the same.
        <SESSION_USER> { name = new SqlIdentifier(unquotedIdentifier(), getPos()); }
        { node = new SqlShowVariable(s.end(this), name); }
    |
        // PostgreSQL's names of two variables in words.
        LOOKAHEAD(2)
        <TRANSACTION> <ISOLATION> <LEVEL>
        { node = new SqlShowVariable(s.end(this), new SqlIdentifier("transaction_isolation", getPos())); }
    |
        <TIME> <ZONE>
        { node = new SqlShowVariable(s.end(this), new SqlIdentifier("timezone", getPos())); }
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

/**
 * The ids to cancel for CANCEL SESSIONS / QUERIES: a query, parenthesized or not. As in
 * CockroachDB anything else is a syntax error, which lists the tokens a query may start with.
 */
SqlNode CancelSourceQuery() :
{
    SqlNode query = null;
}
{
    [
        LOOKAHEAD(<SELECT> | <WITH> | <VALUES> | <VALUE> | <TABLE> | <SHOW> | <LPAREN>)
        query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    ]
    {
        if (query == null) {
            throw generateParseException();
        }
        if (!query.isA(SqlKind.QUERY)) {
            throw SqlUtil.newContextException(query.getParserPosition(),
                RESOURCE.illegalNonQueryExpression());
        }
        return query;
    }
}

/** CANCEL SESSION[S] / CANCEL QUER(Y|IES) [IF EXISTS] ... [WITH MESSAGE text] */
SqlNode SqlCancel() :
{
    final Span s;
    final boolean ifExists;
    final SqlNode source;
    final SqlNode message;
}
{
    <CANCEL> { s = span(); }
    (
        <SESSION> ifExists = IfExistsOpt()
        source = Expression(ExprContext.ACCEPT_SUB_QUERY)
        message = CancelMessageOpt()
        { return new SqlCancelSession(s.end(this), ifExists, source, message); }
    |
        <SESSIONS> ifExists = IfExistsOpt()
        source = CancelSourceQuery()
        message = CancelMessageOpt()
        { return new SqlCancelSessions(s.end(this), ifExists, source, message); }
    |
        <QUERY> ifExists = IfExistsOpt()
        source = Expression(ExprContext.ACCEPT_SUB_QUERY)
        message = CancelMessageOpt()
        { return new SqlCancelQuery(s.end(this), ifExists, source, message); }
    |
        <QUERIES> ifExists = IfExistsOpt()
        source = CancelSourceQuery()
        message = CancelMessageOpt()
        { return new SqlCancelQueries(s.end(this), ifExists, source, message); }
    )
}

/**
 * {@code WITH MESSAGE 'text'} or {@code WITH MESSAGE ?}; null when absent. NULL, no message,
 * is what a parameter bound to null becomes.
 */
SqlNode CancelMessageOpt() :
{
    final SqlNode message;
}
{
    <WITH> <MESSAGE>
    (
        message = StringLiteral()
    |
        message = DynamicParam()
    |
        <NULL> { message = SqlLiteral.createNull(getPos()); }
    |
        {
            // JavaCC's own error (position, what was expected), said in the clause's words
            final ParseException expected = generateParseException();
            final ParseException e = new ParseException("WITH MESSAGE takes a string "
                + "literal, a ? parameter or NULL. " + expected.getMessage());
            e.currentToken = expected.currentToken;
            e.expectedTokenSequences = expected.expectedTokenSequences;
            e.tokenImage = expected.tokenImage;
            throw e;
        }
    )
    { return message; }
|
    { return null; }
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

/**
 * One role option; PASSWORD goes to {@code password[0]}, CONNECTION LIMIT to
 * {@code connectionLimit[0]}, QUERY LIMIT to {@code queryLimit[0]}, the rest to
 * {@code roleOptions}. RoleOption rejects a second option for the same flag.
 */
void RoleOptionItem(List<SqlNode> roleOptions, SqlNode[] password, SqlNode[] connectionLimit,
    SqlNode[] queryLimit) :
{
    final SqlParserPos pos;
    final SqlNode value;
}
{
    <PASSWORD> { pos = getPos(); }
    (
        value = StringLiteral()
    |
        <NULL> { value = SqlLiteral.createNull(getPos()); }
    )
    { RoleOption.setPassword(password, value, pos); }
|
    <CONNECTION> { pos = getPos(); } <LIMIT> value = RoleLimit()
    { RoleOption.setLimit(connectionLimit, "CONNECTION LIMIT", value, pos); }
|
    <QUERY> { pos = getPos(); } <LIMIT> value = RoleLimit()
    { RoleOption.setLimit(queryLimit, "QUERY LIMIT", value, pos); }
|
    (
        <VIEWACTIVITY> | <NOVIEWACTIVITY> | <VIEWACTIVITYREDACTED>
    |   <NOVIEWACTIVITYREDACTED> | <CANCELQUERY> | <NOCANCELQUERY> | <LOGIN> | <NOLOGIN>
    )
    { RoleOption.add(roleOptions, token.image, getPos()); }
}

/** The value of a CONNECTION or QUERY LIMIT: a whole number, -1 for none. */
SqlNode RoleLimit() :
{
    boolean negative = false;
    final SqlNumericLiteral n;
}
{
    [ <MINUS> { negative = true; } ]
    n = UnsignedNumericLiteral()
    { return negative ? SqlLiteral.createNegative(n, getPos()) : n; }
}

SqlCreate SqlCreateUser(Span s, boolean replace) :
{
    final boolean role;
    final boolean ifNotExists;
    final SqlIdentifier name;
    final List<SqlNode> roleOptions = new ArrayList<SqlNode>();
    final SqlNode[] password = {null};
    final SqlNode[] connectionLimit = {null};
    final SqlNode[] queryLimit = {null};
}
{
    ( <USER> { role = false; } | <ROLE> { role = true; } )
    ifNotExists = IfNotExistsOpt()
    name = RoleName()
    // CREATE may have no option at all ...
    [ <WITH> ] ( RoleOptionItem(roleOptions, password, connectionLimit, queryLimit) )*
    {
        return new SqlCreateUser(s.end(this), replace, role, ifNotExists, name,
            new SqlNodeList(roleOptions, s.end(this)), password[0], connectionLimit[0], queryLimit[0]);
    }
}

SqlNode SqlAlterUser() :
{
    final Span s;
    final boolean role;
    final boolean ifExists;
    final SqlIdentifier name;
    SqlIdentifier variable;
    SqlNode value;
    final List<SqlNode> roleOptions = new ArrayList<SqlNode>();
    final SqlNode[] password = {null};
    final SqlNode[] connectionLimit = {null};
    final SqlNode[] queryLimit = {null};
}
{
    <ALTER> { s = span(); }
    ( <USER> { role = false; } | <ROLE> { role = true; } )
    ifExists = IfExistsOpt()
    name = RoleName()
    (
        <SET> variable = CompoundIdentifier() ( <EQ> | <TO> )
        (
            value = Literal()
        |
            value = SimpleIdentifier()
        |
            <ON> { value = new SqlIdentifier("on", getPos()); }
        )
        {
            return new SqlAlterRoleSetting(s.end(this), role, ifExists, name, variable, value);
        }
    |
        <RESET> ( <ALL> { variable = null; } | variable = CompoundIdentifier() )
        {
            return new SqlAlterRoleSetting(s.end(this), role, ifExists, name, variable, null);
        }
    |
        // ... ALTER needs at least one.
        [ <WITH> ] ( RoleOptionItem(roleOptions, password, connectionLimit, queryLimit) )+
        {
            return new SqlAlterUser(s.end(this), role, ifExists, name,
                new SqlNodeList(roleOptions, s.end(this)), password[0], connectionLimit[0], queryLimit[0]);
        }
    )
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

/**
 * CREATE [OR REPLACE] VIEW name [(column, ...)] AS query, as in Calcite's server grammar; the
 * query is any query, SHOW SESSIONS and SHOW QUERIES included.
 */
SqlCreate SqlCreateView(Span s, boolean replace) :
{
    final SqlIdentifier name;
    SqlNodeList columns = null;
    final SqlNode query;
}
{
    <VIEW> name = CompoundIdentifier()
    [ columns = ParenthesizedSimpleIdentifierList() ]
    <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    { return new SqlCreateView(s.end(this), replace, name, columns, query); }
}

SqlDrop SqlDropView(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <VIEW> ifExists = IfExistsOpt()
    name = CompoundIdentifier()
    { return new SqlDropView(s.end(this), ifExists, name); }
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

SqlNode SqlDrainNode() :
{
    final Span s;
}
{
    <DRAIN> { s = span(); } <NODE>
    { return new SqlDrainNode(s.end(this)); }
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

/**
 * Calcite's SET and RESET, with PostgreSQL's forms of SET: {@code SET [SESSION] name {= | TO}
 * value [, value ...]} (a list is one text, as PostgreSQL keeps it), {@code SET TIME ZONE
 * value}, {@code SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL level} (which is
 * {@code SET default_transaction_isolation}) and {@code DEFAULT} as a value, which resets.
 */
SqlSetOption QuellSetOption(Span s, String scope) :
{
    final SqlIdentifier name;
    final SqlNode value;
    final SqlSetOption option;
}
{
    LOOKAHEAD(<RESET>) option = SqlSetOption(s, scope) { return option; }
|
    <SET> { s.add(this); }
    // SESSION is the default scope; "SET session = ..." still names a variable "session".
    [ LOOKAHEAD({ getToken(1).kind == SESSION && getToken(2).kind != EQ && getToken(2).kind != TO })
      <SESSION> ]
    (
        <TIME> <ZONE> { name = new SqlIdentifier("timezone", getPos()); }
        (
            <LOCAL> { value = new SqlIdentifier("DEFAULT", getPos()); }
        |
            value = SetValue()
        )
    |
        LOOKAHEAD(2)
        <CHARACTERISTICS> <AS> <TRANSACTION> <ISOLATION> <LEVEL>
        { name = new SqlIdentifier("default_transaction_isolation", getPos()); }
        value = IsolationLevel()
    |
        name = CompoundIdentifier()
        ( <EQ> | <TO> )
        (
            // A list only in a session's own SET: ALTER SYSTEM / ALTER SESSION keep Calcite's
            // one value.
            LOOKAHEAD({ scope == null }) value = SetValues()
        |
            value = SetValue()
        )
    )
    { return new SqlSetOption(s.end(this), scope, name, value); }
}

/** One value of a SET: a literal, a word, ON, or DEFAULT. */
SqlNode SetValue() :
{
    final SqlNode value;
}
{
    (
        value = Literal()
    |
        value = SimpleIdentifier()
    |
        <ON> { value = new SqlIdentifier("ON", getPos()); }
    |
        <DEFAULT_> { value = new SqlIdentifier("DEFAULT", getPos()); }
    )
    { return value; }
}

/** The values of a SET, as one node (see {@link PostgresSetValues}). */
SqlNode SetValues() :
{
    final Span s;
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlNode value;
}
{
    value = SetValue() { s = span(); values.add(value); }
    ( <COMMA> value = SetValue() { values.add(value); } )*
    { return PostgresSetValues.of(values, s.end(this)); }
}

/** An SQL isolation level, as the text PostgreSQL shows for it. */
SqlNode IsolationLevel() :
{
    final String level;
}
{
    (
        <READ> ( <COMMITTED> { level = "read committed"; } | <UNCOMMITTED> { level = "read uncommitted"; } )
    |
        <REPEATABLE> <READ> { level = "repeatable read"; }
    |
        <SERIALIZABLE> { level = "serializable"; }
    )
    { return SqlLiteral.createCharString(level, getPos()); }
}

/**
 * PostgreSQL's cast {@code expr::type}, as Calcite's Babel grammar parses it: it binds tighter
 * than every other operator but {@code .}, so {@code -1::int} is {@code -(1::int)} and
 * {@code a::text::int} casts twice. The type may end in PostgreSQL's array brackets, as in
 * {@code x::text[]}.
 */
void InfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlParserPos pos;
    SqlDataTypeSpec type;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
        pos = getPos();
    }
    type = DataType()
    (
        LOOKAHEAD(2) <LBRACKET> <RBRACKET> {
            type = new SqlDataTypeSpec(new SqlCollectionTypeNameSpec(type.getTypeNameSpec(),
                SqlTypeName.ARRAY, getPos()), type.getParserPosition().plus(getPos()));
        }
    )*
    {
        list.add(new SqlParserUtil.ToTreeListItem(SqlLibraryOperators.INFIX_CAST, pos));
        list.add(type);
    }
}

/**
 * A binary operator named by its symbol, {@code a OPERATOR(pg_catalog.~) b}, as psql sends
 * it; {@link PostgresOperators} says which operator the symbol is.
 */
void QualifiedOperator(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlParserPos pos;
    SqlIdentifier schema = null;
    final StringBuilder symbol = new StringBuilder();
}
{
    <OPERATOR> {
        checkNonQueryExpression(exprContext);
        pos = getPos();
    }
    <LPAREN>
    [ schema = SimpleIdentifier() <DOT> ]
    (
        (
            <TILDE> | <NEGATE> | <STAR> | <EQ> | <NE> | <NE2> | <LT> | <LE> | <GT> | <GE>
        |   <PLUS> | <MINUS> | <SLASH> | <PERCENT_REMAINDER> | <CONCAT>
        )
        { symbol.append(token.image); }
    )+
    <RPAREN> {
        list.add(new SqlParserUtil.ToTreeListItem(
            PostgresOperators.named(schema, symbol.toString(), pos), pos));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/**
 * {@code COLLATE name} after an operand, as psql sends {@code COLLATE pg_catalog.default}.
 * Quell has one collation ({@link PostgresCollations}), so the clause adds nothing to the
 * expression; it only fails for a collation that is not that one.
 */
void PostgresCollate(List<Object> list, ExprContext exprContext, Span s) :
{
    SqlIdentifier schema = null;
    final SqlIdentifier name;
}
{
    <COLLATE>
    [ LOOKAHEAD(2) schema = SimpleIdentifier() <DOT> ]
    (
        <DEFAULT_> { name = new SqlIdentifier("default", getPos()); }
    |
        name = SimpleIdentifier()
    )
    { PostgresCollations.check(schema, name.getSimple(), name.getParserPosition()); }
}

/**
 * {@code schema.name} where the name is a reserved word, in a function call
 * ({@code pg_catalog.lower(x)}, {@code pg_catalog.current_schema()}); the build adds it to
 * Calcite's FunctionName (see pom.xml). Which function it is, is the operator table's to say.
 */
SqlIdentifier QualifiedReservedFunctionName() :
{
    final SqlIdentifier schema;
    SqlIdentifier name;
}
{
    schema = SimpleIdentifier()
    <DOT>
    (
        name = ReservedFunctionName()
    |
        <CURRENT_SCHEMA> { name = new SqlIdentifier(unquotedIdentifier(), getPos()); }
    )
    {
        return new SqlIdentifier(ImmutableList.of(schema.getSimple(), name.getSimple()), null,
            schema.getParserPosition().plus(name.getParserPosition()),
            ImmutableList.of(schema.getParserPosition(), name.getParserPosition()));
    }
}

/**
 * PostgreSQL's {@code current_schema()}: SQL's CURRENT_SCHEMA, with parentheses, parsed as
 * Calcite parses the word alone.
 */
SqlNode CurrentSchemaFunctionCall() :
{
    final SqlIdentifier name;
}
{
    <CURRENT_SCHEMA> { name = new SqlIdentifier(unquotedIdentifier(), getPos()); }
    <LPAREN> <RPAREN>
    { return name; }
}

/**
 * {@code pg_catalog.unnest(array)} in FROM, as psql writes it: Calcite's UNNEST; the build adds
 * it to Calcite's TableRef3 (see pom.xml).
 */
SqlNode CatalogUnnest() :
{
    final SqlIdentifier schema;
    final Span s;
    final SqlNodeList args;
}
{
    schema = SimpleIdentifier() <DOT> <UNNEST> {
        s = span();
        PostgresOperators.checkCatalog(schema, "unnest");
    }
    args = ParenthesizedQueryOrCommaList(ExprContext.ACCEPT_SUB_QUERY)
    { return SqlStdOperatorTable.UNNEST.createCall(s.end(this), args.getList()); }
}

/**
 * A reserved word as a name, the token the caller's lookahead found with
 * {@link ReservedLabels#isLabel}: Calcite's grammar lists its reserved words in no one production, so
 * this takes the token as it is. The build adds it to CompoundIdentifier and AddSelectItem
 * (see pom.xml).
 */
JAVACODE SqlIdentifier ReservedLabel() {
    getNextToken();
    return new SqlIdentifier(unquotedIdentifier(), getPos());
}
