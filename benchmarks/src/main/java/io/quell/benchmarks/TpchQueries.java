package io.quell.benchmarks;

import java.util.List;

/**
 * The victims of figure 1, one text for Quell and PostgreSQL alike over the same TPC-H rows:
 * TPC-H queries that both run (dates as literals, since the two dialects differ in date
 * arithmetic), a join whose cost is planning, and shapes that work in memory after their
 * scans are done. Each returns a few rows, so a victim's life is its work, not its fetch.
 */
final class TpchQueries {
  /** A named victim. */
  record Query(String name, String sql) {
  }

  static final Query Q1 = new Query("TPC-H Q1", "SELECT l_returnflag, l_linestatus, "
      + "SUM(l_quantity) AS sum_qty, SUM(l_extendedprice) AS sum_base_price, "
      + "SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price, "
      + "SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, "
      + "AVG(l_quantity) AS avg_qty, AVG(l_extendedprice) AS avg_price, "
      + "AVG(l_discount) AS avg_disc, COUNT(*) AS count_order FROM lineitem "
      + "WHERE l_shipdate <= DATE '1998-09-02' GROUP BY l_returnflag, l_linestatus "
      + "ORDER BY l_returnflag, l_linestatus");

  static final List<Query> ALL = List.of(
      Q1,
      new Query("TPC-H Q3", "SELECT l_orderkey, SUM(l_extendedprice * (1 - l_discount)) AS "
          + "revenue, o_orderdate, o_shippriority FROM customer, orders, lineitem "
          + "WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey "
          + "AND l_orderkey = o_orderkey AND o_orderdate < DATE '1995-03-15' "
          + "AND l_shipdate > DATE '1995-03-15' GROUP BY l_orderkey, o_orderdate, "
          + "o_shippriority ORDER BY revenue DESC, o_orderdate FETCH FIRST 10 ROWS ONLY"),
      new Query("TPC-H Q5", "SELECT n_name, SUM(l_extendedprice * (1 - l_discount)) AS revenue "
          + "FROM customer, orders, lineitem, supplier, nation, region "
          + "WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey "
          + "AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey "
          + "AND n_regionkey = r_regionkey AND r_name = 'ASIA' "
          + "AND o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01' "
          + "GROUP BY n_name ORDER BY revenue DESC"),
      new Query("TPC-H Q6", "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "
          + "WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' "
          + "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"),
      new Query("TPC-H Q8", "SELECT o_year, SUM(CASE WHEN nation = 'BRAZIL' THEN volume "
          + "ELSE 0 END) / SUM(volume) AS mkt_share FROM (SELECT EXTRACT(YEAR FROM o_orderdate) "
          + "AS o_year, l_extendedprice * (1 - l_discount) AS volume, n2.n_name AS nation "
          + "FROM part, supplier, lineitem, orders, customer, nation n1, nation n2, region "
          + "WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey AND l_orderkey = o_orderkey "
          + "AND o_custkey = c_custkey AND c_nationkey = n1.n_nationkey "
          + "AND n1.n_regionkey = r_regionkey AND r_name = 'AMERICA' "
          + "AND s_nationkey = n2.n_nationkey "
          + "AND o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1996-12-31' "
          + "AND p_type = 'ECONOMY ANODIZED STEEL') all_nations GROUP BY o_year ORDER BY o_year"),
      new Query("TPC-H Q10", "SELECT c_custkey, c_name, "
          + "SUM(l_extendedprice * (1 - l_discount)) AS revenue, c_acctbal, n_name "
          + "FROM customer, orders, lineitem, nation WHERE c_custkey = o_custkey "
          + "AND l_orderkey = o_orderkey AND o_orderdate >= DATE '1993-10-01' "
          + "AND o_orderdate < DATE '1994-01-01' AND l_returnflag = 'R' "
          + "AND c_nationkey = n_nationkey GROUP BY c_custkey, c_name, c_acctbal, n_name "
          + "ORDER BY revenue DESC FETCH FIRST 20 ROWS ONLY"),
      new Query("TPC-H Q12", "SELECT l_shipmode, SUM(CASE WHEN o_orderpriority = '1-URGENT' "
          + "OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count, "
          + "SUM(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' "
          + "THEN 1 ELSE 0 END) AS low_line_count FROM orders, lineitem "
          + "WHERE o_orderkey = l_orderkey AND l_shipmode IN ('MAIL', 'SHIP') "
          + "AND l_commitdate < l_receiptdate AND l_shipdate < l_commitdate "
          + "AND l_receiptdate >= DATE '1994-01-01' AND l_receiptdate < DATE '1995-01-01' "
          + "GROUP BY l_shipmode ORDER BY l_shipmode"),
      new Query("TPC-H Q14", "SELECT 100.00 * SUM(CASE WHEN p_type LIKE 'PROMO%' "
          + "THEN l_extendedprice * (1 - l_discount) ELSE 0 END) "
          + "/ SUM(l_extendedprice * (1 - l_discount)) AS promo_revenue FROM lineitem, part "
          + "WHERE l_partkey = p_partkey AND l_shipdate >= DATE '1995-09-01' "
          + "AND l_shipdate < DATE '1995-10-01'"),
      new Query("TPC-H Q18", "SELECT c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, "
          + "SUM(l_quantity) FROM customer, orders, lineitem WHERE o_orderkey IN "
          + "(SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING SUM(l_quantity) > 300) "
          + "AND c_custkey = o_custkey AND o_orderkey = l_orderkey "
          + "GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice "
          + "ORDER BY o_totalprice DESC, o_orderdate FETCH FIRST 100 ROWS ONLY"),
      new Query("planning: 10-way join", planningHeavyJoin(10)),
      new Query("non-equi join of DISTINCTs", "SELECT COUNT(*) FROM "
          + "(SELECT DISTINCT o_custkey FROM orders WHERE o_orderdate < DATE '1992-07-01') a, "
          + "(SELECT DISTINCT ps_availqty FROM partsupp) b WHERE a.o_custkey < b.ps_availqty"),
      new Query("window over a sort", "SELECT MAX(run_sum) FROM (SELECT SUM(l_quantity) OVER "
          + "(PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber ROWS UNBOUNDED "
          + "PRECEDING) AS run_sum FROM lineitem) t"),
      new Query("big DISTINCT", "SELECT COUNT(*) FROM (SELECT DISTINCT l_comment FROM lineitem) t"),
      new Query("big ORDER BY", "SELECT l_orderkey, l_linenumber FROM lineitem "
          + "ORDER BY l_comment, l_orderkey, l_linenumber OFFSET 590000 ROWS "
          + "FETCH NEXT 10 ROWS ONLY"));

  private TpchQueries() {
  }

  /**
   * A chain of {@code tables} joins over the 25-row nation table: next to nothing to execute,
   * while the planner weighs the join orders, so its cancels land in planning.
   */
  private static String planningHeavyJoin(int tables) {
    StringBuilder from = new StringBuilder();
    StringBuilder where = new StringBuilder();
    for (int i = 1; i <= tables; i++) {
      from.append(i == 1 ? "" : ", ").append("nation n").append(i);
      if (i > 1) {
        where.append(i == 2 ? "" : " AND ").append("n").append(i - 1)
            .append(".n_nationkey = n").append(i).append(".n_nationkey");
      }
    }
    return "SELECT COUNT(*) FROM " + from + " WHERE " + where + " AND n1.n_nationkey = 0";
  }
}
