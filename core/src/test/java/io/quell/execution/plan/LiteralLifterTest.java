package io.quell.execution.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

/** The text the plan cache keys and plans: what is normalized, lifted, and left alone. */
class LiteralLifterTest {
  private static LiteralLifter.Lifted lift(String sql) {
    return LiteralLifter.lift(sql).orElseThrow();
  }

  @Test void liftsEachLiteralTypedAsTheParserTypesIt() {
    LiteralLifter.Lifted l = lift("SELECT 'abc', 1.50, 0.05, 2147483648, 7, 1e3, TRUE, "
        + "DATE '1970-01-02', TIME '00:00:01.5', TIMESTAMP '1970-01-01 00:00:01'");
    assertEquals("select CAST(? AS CHAR(3)), CAST(? AS DECIMAL(3, 2)), "
        + "CAST(? AS DECIMAL(3, 2)), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS DOUBLE), "
        + "CAST(? AS BOOLEAN), CAST(? AS DATE), CAST(? AS TIME(1)), CAST(? AS TIMESTAMP(0))",
        l.lifted());
    assertEquals(List.of("abc", new BigDecimal("1.50"), new BigDecimal("0.05"), 2147483648L, 7,
        1000.0, true, 1, 1500, 1000L), l.values());
  }

  @Test void whitespaceCommentsAndCaseNormalizeButTagsAndHintsStay() {
    String plain = lift("SELECT a FROM t WHERE b = 1").lifted();
    assertEquals(plain, lift("  select\tA\nfrom T /* why */ where b = 2 -- note").lifted());
    assertEquals("select a from t where b = CAST(? AS INTEGER) /*app='x',route='%2F'*/",
        lift("SELECT a FROM t WHERE b = 1 /*app='x',route='%2F'*/").lifted());
    assertEquals("select /*+ no_hash_join */ \"A\" from t",
        lift("SELECT /*+ no_hash_join */ \"A\" FROM t").lifted());
  }

  @Test void fingerprintsHaveEveryLiteralOutAndNoTags() {
    String fingerprint = "select a from t where s like ? and b in (?, ?) group by ? limit ?";
    assertEquals(fingerprint, StatementFingerprint.of(
        "SELECT a FROM t WHERE s LIKE 'x%' AND b IN (1, 2) GROUP BY 1 LIMIT 5"));
    assertEquals(fingerprint, StatementFingerprint.of("select A from T /* c */ where s like "
        + "'y%' and b in (3.5, X'ff') group by 2 limit 7 /*traceparent='00-1-01'*/"));
    assertEquals("select /*+ no_hash_join */ a from t",
        StatementFingerprint.of("SELECT /*+ no_hash_join */ a FROM t /*app='x'*/"));
    assertEquals("insert into t values (?, ?)",
        StatementFingerprint.of("INSERT INTO t VALUES (1, 'secret')"));
    assertEquals("alter user bob with password ?",
        StatementFingerprint.of("ALTER USER bob WITH PASSWORD 'hunter22'"));
    assertEquals("<unparseable statement: 16 characters>",
        StatementFingerprint.of("SELECT 'unclosed"));
  }

  @Test void literalsThePlannerNeedsStay() {
    assertEquals("select a, count(*) from t where s like 'x%' and d < now() - interval '3' day "
        + "group by a, substring(s from 1 for 2) order by 1 limit ? offset ?",
        lift("SELECT a, COUNT(*) FROM t WHERE s LIKE 'x%' AND d < now() - INTERVAL '3' DAY "
            + "GROUP BY a, SUBSTRING(s FROM 1 FOR 2) ORDER BY 1 LIMIT 10 OFFSET 5").lifted());
    assertEquals("select cast(a as decimal(10, 2)), x is not true, N'abc', 'a' 'b' from t "
        + "fetch first 3 rows only", lift("SELECT CAST(a AS DECIMAL(10, 2)), x IS NOT TRUE, "
            + "N'abc', 'a' 'b' FROM t FETCH FIRST 3 ROWS ONLY").lifted());
    assertEquals("select sum(x) over (order by y rows 2 preceding), -2147483648, '', "
        + "CAST(? AS CHAR(2)) from t", lift("SELECT SUM(x) OVER (ORDER BY y ROWS 2 "
            + "PRECEDING), -2147483648, '', '日本' FROM t").lifted());
  }

  @Test void constantsThePlannerFoldsStay() {
    assertEquals("select 1/0, x / 2, cast('x' as integer), x + 3 from t",
        lift("SELECT 1/0, x / 2, CAST('x' AS INTEGER), x + 3 FROM t").lifted());
  }

  @Test void literalsInArithmeticStayAndPredicatesLift() {
    LiteralLifter.Lifted q1 = LiteralLifter.lift("SELECT COUNT(*) FROM lineitem WHERE "
        + "l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY AND l_quantity < 2 + 3 "
        + "AND l_discount > 0.05 AND l_tax + 1 > 1.01").orElseThrow();
    assertEquals("select count(*) from lineitem where l_shipdate <= date '1998-12-01' - "
        + "interval '90' day and l_quantity < 2 + 3 and l_discount > CAST(? AS DECIMAL(3, 2)) "
        + "and l_tax + 1 > CAST(? AS DECIMAL(3, 2))", q1.lifted());
    assertEquals(List.of(5), LiteralLifter.lift("SELECT * FROM t WHERE a = -5 AND b = x - 5")
        .orElseThrow().values(), "a negative literal lifts (its sign stays in the text), a subtrahend stays");
  }

  @Test void aStatementWithADisjunctionLiftsNothing() {
    LiteralLifter.Lifted lifted = LiteralLifter.lift(
        "SELECT * FROM part WHERE p_size = 5 OR p_brand = 'Brand#12'").orElseThrow();
    assertEquals(List.of(), lifted.values());
    assertEquals("select * from part where p_size = 5 or p_brand = 'Brand#12'", lifted.lifted());
    assertEquals(2, LiteralLifter.lift("SELECT 'or' FROM part WHERE \"or\" = 5")
        .orElseThrow().values().size(), "only the keyword counts, not a string or a name");
  }

  @Test void aStatementWithItsOwnParametersLiftsNothing() {
    LiteralLifter.Lifted l = lift("SELECT a FROM t WHERE b = ? AND c = 'x'");
    assertEquals("select a from t where b = ? and c = 'x'", l.lifted());
    assertTrue(l.values().isEmpty());
  }

  @Test void onlyQueriesAreCached() {
    for (String sql : List.of("SET plan_cache = off", "CREATE VIEW v AS SELECT 1",
        "CANCEL QUERY '1'", "INSERT INTO t VALUES (1)", "EXPLAIN PLAN FOR SELECT 1",
        "SELECT 'unterminated", "/* only a comment */")) {
      assertTrue(LiteralLifter.lift(sql).isEmpty(), sql);
    }
    assertTrue(LiteralLifter.lift("SHOW SESSIONS").isPresent());
    assertTrue(LiteralLifter.lift("WITH x AS (SELECT 1) SELECT * FROM x").isPresent());
  }
}
