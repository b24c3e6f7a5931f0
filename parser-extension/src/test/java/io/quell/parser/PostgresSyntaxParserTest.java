package io.quell.parser;

import static io.quell.parser.SessionControlParserTest.assertName;
import static io.quell.parser.SessionControlParserTest.fails;
import static io.quell.parser.SessionControlParserTest.failsAnyhow;
import static io.quell.parser.SessionControlParserTest.ok;
import static io.quell.parser.SessionControlParserTest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.parser.impl.QuellSqlParserImpl;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.util.Litmus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

/**
 * The PostgreSQL syntax Quell's grammar and conformance add: the {@code ::} cast, the regular
 * expression operators, {@code OPERATOR(pg_catalog.op)}, {@code COLLATE}, PostgreSQL's forms
 * of SET and SHOW, and what {@link QuellConformance} allows. Each positive case parses,
 * unparses in several dialects and parses again to the same tree ({@code ok}).
 */
class PostgresSyntaxParserTest {
  /** {@code sql}'s one select item, parsed by Quell's grammar. */
  private static SqlNode item(String expression) {
    SqlSelect select = assertInstanceOf(SqlSelect.class, ok("SELECT " + expression));
    return select.getSelectList().get(0);
  }

  /** {@code sql} parsed as the engine parses it: Quell's conformance, names folded to lower. */
  private static SqlNode parseAsEngine(String sql) throws SqlParseException {
    return SqlParser.create(sql, SqlParser.config()
        .withParserFactory(QuellSqlParserImpl.FACTORY)
        .withConformance(QuellConformance.INSTANCE)
        .withUnquotedCasing(Casing.TO_LOWER)).parseStmt();
  }

  /** Checks that {@code sql} fails to parse with a message that contains {@code text}. */
  private static void failsWith(String sql, String text) {
    String message = failsAnyhow(sql).getMessage();
    assertTrue(message.contains(text), message);
  }

  private static String unparsed(SqlNode node) {
    return node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }

  @Test void infixCast() {
    SqlCall cast = (SqlCall) item("'1'::int");
    assertSame(SqlLibraryOperators.INFIX_CAST, cast.getOperator());
    assertEquals("INTEGER", ((SqlDataTypeSpec) cast.operand(1)).getTypeName().getSimple());
    assertEquals("SELECT ('1' :: INTEGER) + 1", unparsed(parse("SELECT '1'::int + 1")));
    // Tighter than arithmetic and than a sign.
    SqlCall plus = (SqlCall) item("1 + '2'::int * 3");
    assertSame(SqlStdOperatorTable.PLUS, plus.getOperator());
    SqlCall times = plus.operand(1);
    assertSame(SqlStdOperatorTable.MULTIPLY, times.getOperator());
    assertSame(SqlLibraryOperators.INFIX_CAST, ((SqlCall) times.operand(0)).getOperator());
    SqlCall negated = (SqlCall) item("-1::int");
    assertSame(SqlStdOperatorTable.UNARY_MINUS, negated.getOperator());
    assertSame(SqlLibraryOperators.INFIX_CAST, ((SqlCall) negated.operand(0)).getOperator());
    // Casts chain from the left, and a column's dot binds tighter still.
    SqlCall twice = (SqlCall) item("t.a::text::int");
    assertEquals("INTEGER", ((SqlDataTypeSpec) twice.operand(1)).getTypeName().getSimple());
    SqlCall inner = twice.operand(0);
    assertEquals("TEXT", ((SqlDataTypeSpec) inner.operand(1)).getTypeName().getSimple());
    assertEquals("T.A", inner.operand(0).toString());
  }

  @Test void infixCastTypes() {
    assertEquals("DECIMAL(10, 2)", typeOf("x::numeric(10,2)"));
    assertEquals("VARCHAR(3)", typeOf("x::varchar(3)"));
    assertEquals("TEXT ARRAY", typeOf("x::text[]"));
    assertEquals("INTEGER ARRAY ARRAY", typeOf("x::int[][]"));
    assertEquals("PG_CATALOG.TEXT", typeOf("x::pg_catalog.text"));
    assertEquals("char", typeOf("x::\"char\""));
    // An array subscript after a cast is not part of the type.
    SqlCall item = (SqlCall) item("(x::int[])[1]");
    assertSame(SqlStdOperatorTable.ITEM, item.getOperator());
  }

  private static String typeOf(String expression) {
    SqlCall cast = (SqlCall) item(expression);
    assertSame(SqlLibraryOperators.INFIX_CAST, cast.getOperator(), expression);
    return unparsed(cast.operand(1)).replace("\"", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"~", "~*", "!~", "!~*"})
  void regexOperators(String symbol) {
    SqlCall call = (SqlCall) item("name " + symbol + " '^pg_'");
    assertSame(POSIX.get(symbol), call.getOperator());
    assertEquals("`NAME` " + symbol + " '^pg_'", call.toString());
    // psql's spelling of the same operator, with and without its schema.
    SqlCall named = (SqlCall) item("name OPERATOR(pg_catalog." + symbol + ") '^pg_'");
    assertSame(call.getOperator(), named.getOperator());
    assertSame(call.getOperator(), ((SqlCall) item("name operator(" + symbol + ") 'x'"))
        .getOperator());
  }

  private static final Map<String, SqlOperator> POSIX = Map.of(
      "~", SqlStdOperatorTable.POSIX_REGEX_CASE_SENSITIVE,
      "~*", SqlStdOperatorTable.POSIX_REGEX_CASE_INSENSITIVE,
      "!~", SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_SENSITIVE,
      "!~*", SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_INSENSITIVE);

  @Test void regexBindsAsLike() {
    // a ~ b AND c: the match is one operand of AND, as with LIKE.
    SqlCall and = (SqlCall) item("n !~ '^pg_toast' AND m <> 'x'");
    assertSame(SqlStdOperatorTable.AND, and.getOperator());
    assertSame(SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_SENSITIVE,
        ((SqlCall) and.operand(0)).getOperator());
  }

  @Test void namedOperators() {
    assertSame(SqlStdOperatorTable.EQUALS, ((SqlCall) item("a OPERATOR(pg_catalog.=) b"))
        .getOperator());
    assertSame(SqlStdOperatorTable.NOT_EQUALS,
        ((SqlCall) item("a OPERATOR(pg_catalog.<>) b")).getOperator());
    assertSame(SqlStdOperatorTable.LIKE, ((SqlCall) item("a OPERATOR(pg_catalog.~~) b"))
        .getOperator());
    assertSame(SqlLibraryOperators.NOT_ILIKE,
        ((SqlCall) item("a OPERATOR(pg_catalog.!~~*) b")).getOperator());
    assertSame(SqlStdOperatorTable.CONCAT, ((SqlCall) item("a OPERATOR(pg_catalog.||) b"))
        .getOperator());
    // The operand after the operator is one operand: a OPERATOR(=) b AND c is (a = b) AND c.
    SqlCall and = (SqlCall) item("a OPERATOR(pg_catalog.=) b AND c");
    assertSame(SqlStdOperatorTable.AND, and.getOperator());
    // OPERATOR is not reserved: it still names columns and aliases.
    assertEquals("SELECT `OPERATOR`\nFROM `T` AS `OPERATOR`",
        parse("select operator from t operator").toString());
    assertEquals("SELECT `A` AS `OPERATOR`\nFROM `T`",
        parse("select a operator from t").toString());
    // Unknown operators and schemas fail where the operator is named.
    failsWith("select a OPERATOR(pg_catalog.=~) b", "operator does not exist: PG_CATALOG.=~");
    failsWith("select a OPERATOR(public.=) b", "operator does not exist: PUBLIC.=");
  }

  @Test void collate() {
    SqlCall match = (SqlCall) item(
        "c.relname OPERATOR(pg_catalog.~) '^(lineitem)$' COLLATE pg_catalog.default");
    assertSame(SqlStdOperatorTable.POSIX_REGEX_CASE_SENSITIVE, match.getOperator());
    assertEquals("'^(lineitem)$'", match.operand(1).toString());
    assertEquals("`A` < `B`", item("a COLLATE \"C\" < b collate \"default\"").toString());
    assertEquals("A", item("a COLLATE pg_catalog.\"C\"").toString());
    assertEquals("A", item("a COLLATE \"POSIX\"").toString());
    failsWith("select a COLLATE \"en_US\"", "collation \"en_US\" does not exist");
    failsWith("select a COLLATE public.\"C\"", "collation \"PUBLIC.C\" does not exist");
  }

  @Test void conformance() throws SqlParseException {
    SqlCall remainder = (SqlCall) ((SqlSelect) parseAsEngine("select 7 % 3"))
        .getSelectList().get(0);
    assertSame(SqlStdOperatorTable.PERCENT_REMAINDER, remainder.getOperator());
    assertEquals("SELECT 1 <> 2", unparsed(parseAsEngine("select 1 != 2")));
    for (String sql : new String[] {"select a from t limit 2 offset 3",
        "select a from t offset 3 limit 2", "select a from t offset 3 rows limit 2"}) {
      SqlOrderBy orderBy = assertInstanceOf(SqlOrderBy.class, parseAsEngine(sql));
      assertEquals("3", orderBy.offset.toString(), sql);
      assertEquals("2", orderBy.fetch.toString(), sql);
    }
    SqlOrderBy offsetOnly = (SqlOrderBy) parseAsEngine("select a from t offset 3");
    assertEquals("3", offsetOnly.offset.toString());
    assertNull(offsetOnly.fetch);
    SqlOrderBy all = (SqlOrderBy) parseAsEngine("select a from t order by a limit all");
    assertNull(all.fetch);
    // Calcite's default conformance still refuses them: Quell's is what allows them.
    assertThrows(SqlParseException.class, () -> SqlParser.create("select 7 % 3",
        SqlParser.config().withParserFactory(QuellSqlParserImpl.FACTORY)
            .withConformance(SqlConformanceEnum.DEFAULT)).parseStmt());
    // What it leaves as Calcite's default: MySQL's LIMIT start, count.
    assertThrows(SqlParseException.class,
        () -> parseAsEngine("select a from t limit 2, 3"));
  }

  @Test void setForms() {
    SqlSetOption set = ok("SET search_path TO \"$user\", public, 'x y'", SqlSetOption.class);
    assertName("SEARCH_PATH", set.getName());
    assertEquals("\"$user\", PUBLIC, x y", ((SqlLiteral) set.getValue()).toValue());
    set = ok("SET SESSION statement_timeout = '5s'", SqlSetOption.class);
    assertName("STATEMENT_TIMEOUT", set.getName());
    assertEquals("5s", ((SqlLiteral) set.getValue()).toValue());
    set = ok("set session to 1", SqlSetOption.class);
    assertName("SESSION", set.getName());
    set = ok("SET TIME ZONE 'UTC'", SqlSetOption.class);
    assertName("timezone", set.getName());
    assertEquals("UTC", ((SqlLiteral) set.getValue()).toValue());
    set = ok("SET SESSION TIME ZONE LOCAL", SqlSetOption.class);
    assertName("DEFAULT", set.getValue());
    set = ok("SET x = DEFAULT", SqlSetOption.class);
    assertName("DEFAULT", set.getValue());
    set = ok("SET extra_float_digits = -1", SqlSetOption.class);
    assertEquals("-1", ((SqlLiteral) set.getValue()).toValue());
    set = ok("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
        SqlSetOption.class);
    assertName("default_transaction_isolation", set.getName());
    assertEquals("read committed", ((SqlLiteral) set.getValue()).toValue());
    set = ok("set session characteristics as transaction isolation level repeatable read",
        SqlSetOption.class);
    assertEquals("repeatable read", ((SqlLiteral) set.getValue()).toValue());
    fails("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ^EVENTUAL");
    fails("SET search_path TO a,^");
    fails("SET TIME ZONE^");
  }

  @Test void showForms() {
    assertName("transaction_isolation",
        ok("SHOW TRANSACTION ISOLATION LEVEL", SqlShowVariable.class).name());
    assertName("timezone", ok("show time zone", SqlShowVariable.class).name());
    assertName("TRANSACTION", ok("SHOW transaction", SqlShowVariable.class).name());
  }

  @Test void catalogQualifiedFunctions() {
    // Reserved words name built-ins after pg_catalog., as psql and pgjdbc call them.
    SqlCall lower = (SqlCall) item("pg_catalog.lower(a)");
    assertEquals("PG_CATALOG.LOWER", lower.getOperator().getNameAsId().toString());
    assertEquals("`PG_CATALOG`.`LOWER`(`A`)", lower.toString());
    SqlCall count = (SqlCall) item("pg_catalog.count(DISTINCT a)");
    assertEquals("PG_CATALOG.COUNT", count.getOperator().getNameAsId().toString());
    assertEquals("PG_CATALOG.CURRENT_SCHEMA",
        ((SqlCall) item("pg_catalog.current_schema()")).getOperator().getNameAsId().toString());
    // Not a call: a column, whose name after a dot may be any word, as in PostgreSQL.
    assertEquals("T.A", item("t.a").toString());
    assertEquals("T.LOWER", item("t.lower").toString());
  }

  @Test void reservedWordsAsLabels() {
    // PostgreSQL's ColLabel: any word after a dot, and as a select item's alias after AS.
    assertEquals("TMP.CARDINALITY", item("tmp.CARDINALITY").toString());
    assertEquals("S.T.TABLE", item("s.t.table").toString());
    SqlSelect select = (SqlSelect) ok("select a as table, b as select, c as \"from\" from t",
        SqlSelect.class);
    assertEquals("`A` AS `TABLE`, `B` AS `SELECT`, `C` AS `from`",
        select.getSelectList().toString());
    // Without AS a reserved word is no alias, and before "(" it is a function.
    fails("select a ^table from t");
    assertEquals("`T`.`COUNT`(`X`)", item("t.count(x)").toString());
  }

  @Test void catalogUnnest() throws SqlParseException {
    SqlSelect select = (SqlSelect) parseAsEngine("SELECT s.attnum FROM"
        + " pg_catalog.unnest(stxkeys) s(attnum) JOIN pg_catalog.pg_attribute a ON true");
    assertEquals("UNNEST(`stxkeys`) AS `s` (`attnum`)",
        ((SqlCall) ((SqlCall) select.getFrom()).operand(0)).toString());
    failsWith("select * from public.unnest(x)", "function PUBLIC.unnest does not exist");
    assertEquals("PG_CATALOG.T", ((SqlSelect) parse("select * from pg_catalog.t"))
        .getFrom().toString());
  }

  @Test void currentSchema() {
    // With parentheses or without, the same context variable.
    assertTrue(item("current_schema()").equalsDeep(item("current_schema"), Litmus.THROW));
  }

  /** The psql 15 queries of the brief, verbatim: they parse, whatever their tables hold. */
  @Test void psqlQueries() throws SqlParseException {
    String[] queries = {
        "SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN"
            + " 'table' WHEN 'v' THEN 'view' END as \"Type\","
            + " pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN"
            + " pg_catalog.pg_am am ON am.oid = c.relam WHERE c.relkind IN ('r','p','') AND"
            + " n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <>"
            + " 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2",
        "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN"
            + " pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname"
            + " OPERATOR(pg_catalog.~) '^(lineitem)$' COLLATE pg_catalog.default AND"
            + " pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3",
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT"
            + " pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d"
            + " WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),"
            + " a.attnotnull, (SELECT c.collname FROM pg_catalog.pg_collation c,"
            + " pg_catalog.pg_type t WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND"
            + " a.attcollation <> t.typcollation) AS attcollation, a.attidentity,"
            + " a.attgenerated FROM pg_catalog.pg_attribute a WHERE a.attrelid = '16384' AND"
            + " a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        "SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i"
            + " WHERE c.oid = i.inhparent AND i.inhrelid = '16385' AND c.relkind != 'p'"
            + " AND c.relkind != 'I' ORDER BY inhseqno",
        "SELECT current_setting('server_version_num')::int/100 as version"};
    for (String query : queries) {
      SqlNode node = parseAsEngine(query);
      assertTrue(node.equalsDeep(parseAsEngine(unparsed(node)), Litmus.THROW), query);
    }
  }

  @Test void calcitesOperatorsStay() {
    // "!" and "~" are tokens now; what Calcite parsed before parses as before.
    assertEquals("SELECT `A` <> `B`", parse("select a <> b").toString());
    assertTrue(parse("select x from t where a like 'b%'") instanceof SqlSelect);
    SqlBasicCall call = (SqlBasicCall) item("a || b");
    assertSame(SqlStdOperatorTable.CONCAT, call.getOperator());
    fails("select a ^~~ b");
  }
}
