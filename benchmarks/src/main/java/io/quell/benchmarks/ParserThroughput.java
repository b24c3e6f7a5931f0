package io.quell.benchmarks;

import io.quell.parser.impl.QuellSqlParserImpl;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;

import java.util.List;

/** Figure 3: statements per second of Quell's parser and Calcite's stock parser. */
final class ParserThroughput {
  /** Standard SQL: TPC-H queries 1, 3, 5, 6, 10, 12 and a few short statements. */
  static final List<String> STANDARD = List.of(
      "select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty, sum(l_extendedprice) as "
          + "sum_base_price, sum(l_extendedprice * (1 - l_discount)) as sum_disc_price, "
          + "avg(l_quantity) as avg_qty, count(*) as count_order from lineitem where l_shipdate "
          + "<= date '1998-12-01' - interval '90' day group by l_returnflag, l_linestatus "
          + "order by l_returnflag, l_linestatus",
      "select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate, "
          + "o_shippriority from customer, orders, lineitem where c_mktsegment = 'BUILDING' and "
          + "c_custkey = o_custkey and l_orderkey = o_orderkey and o_orderdate < date '1995-03-15'"
          + " and l_shipdate > date '1995-03-15' group by l_orderkey, o_orderdate, "
          + "o_shippriority order by revenue desc, o_orderdate limit 10",
      "select n_name, sum(l_extendedprice * (1 - l_discount)) as revenue from customer, orders, "
          + "lineitem, supplier, nation, region where c_custkey = o_custkey and l_orderkey = "
          + "o_orderkey and l_suppkey = s_suppkey and c_nationkey = s_nationkey and s_nationkey "
          + "= n_nationkey and n_regionkey = r_regionkey and r_name = 'ASIA' and o_orderdate >= "
          + "date '1994-01-01' and o_orderdate < date '1994-01-01' + interval '1' year group by "
          + "n_name order by revenue desc",
      "select sum(l_extendedprice * l_discount) as revenue from lineitem where l_shipdate >= "
          + "date '1994-01-01' and l_shipdate < date '1995-01-01' and l_discount between 0.05 "
          + "and 0.07 and l_quantity < 24",
      "select c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) as revenue, c_acctbal, "
          + "n_name, c_address, c_phone, c_comment from customer, orders, lineitem, nation where "
          + "c_custkey = o_custkey and l_orderkey = o_orderkey and o_orderdate >= date "
          + "'1993-10-01' and l_returnflag = 'R' and c_nationkey = n_nationkey group by "
          + "c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment order by "
          + "revenue desc limit 20",
      "select l_shipmode, sum(case when o_orderpriority = '1-URGENT' or o_orderpriority = "
          + "'2-HIGH' then 1 else 0 end) as high_line_count from orders, lineitem where "
          + "o_orderkey = l_orderkey and l_shipmode in ('MAIL', 'SHIP') group by l_shipmode "
          + "order by l_shipmode",
      "select 1",
      "select * from nation where n_name like 'A%' order by n_nationkey");

  static final List<String> SESSION_CONTROL = List.of(
      "SHOW SESSIONS", "SHOW ALL LOCAL QUERIES",
      "CANCEL SESSION '1530fe0e46d2692e0000000000000001'",
      "CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = "
          + "'maxroach')",
      "CREATE USER maxroach WITH PASSWORD 'x' VIEWACTIVITY CANCELQUERY",
      "SET statement_timeout TO '5s'");

  private ParserThroughput() {
  }

  /** Statements per second over {@code corpus}, measured for about {@code millis}. */
  static double rate(SqlParserImplFactory factory, List<String> corpus, long millis)
      throws SqlParseException {
    SqlParser.Config config = SqlParser.config().withParserFactory(factory)
        .withUnquotedCasing(Casing.TO_LOWER);
    long parsed = 0;
    long end = System.nanoTime() + millis * 1_000_000;
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      for (String sql : corpus) {
        SqlParser.create(sql, config).parseStmt();
        parsed++;
      }
    }
    return parsed / ((System.nanoTime() - start) / 1e9);
  }

  static SqlParserImplFactory stock() {
    return SqlParserImpl.FACTORY;
  }

  static SqlParserImplFactory quell() {
    return QuellSqlParserImpl.FACTORY;
  }
}
