-- Seed corpus of the statement fuzzer: one statement per line. Session control (SPEC.md
-- "Statements" and parser tests), users and roles, views, variables, TPC-H-like and standard
-- queries.
SHOW SESSIONS
SHOW ALL SESSIONS
SHOW CLUSTER SESSIONS
SHOW LOCAL SESSIONS
SHOW ALL LOCAL SESSIONS
SHOW QUERIES
SHOW ALL CLUSTER QUERIES
SHOW LOCAL STATEMENTS
SHOW STATEMENTS
CANCEL SESSION '1530fe0e46d2692e0000000000000001'
CANCEL SESSION IF EXISTS '1530fe0e46d2692e0000000000000001'
CANCEL SESSION ?
CANCEL SESSION (SELECT session_id FROM (SHOW SESSIONS) AS s WHERE user_name = 'nobody')
CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = 'root')
CANCEL SESSIONS (WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = 'maxroach')
CANCEL SESSIONS IF EXISTS SELECT session_id FROM quell_internal.node_sessions WHERE user_name = 'nobody'
CANCEL SESSIONS VALUES '1530fe0e46d2692e0000000000000001', '1530fe0e46d2692e0000000000000002'
CANCEL QUERY '1530fe0e46d2692e0000000000000001'
CANCEL QUERY IF EXISTS '00000000000000000000000000000001'
CANCEL QUERIES (SELECT query_id FROM (SHOW QUERIES) AS q WHERE user_name = 'nobody')
CANCEL QUERIES IF EXISTS (SELECT query_id FROM [SHOW CLUSTER QUERIES] WHERE query LIKE '%sleep%')
CANCEL QUERY (SELECT query_id FROM (SHOW QUERIES) AS q WHERE query = 'x')
SELECT * FROM (SHOW SESSIONS) AS s
SELECT session_id FROM (SHOW SESSIONS) AS s WHERE session_id IN (SELECT session_id FROM (SHOW QUERIES) AS q)
WITH x AS (SHOW SESSIONS) SELECT session_id FROM x WHERE user_name = 'root'
SELECT COUNT(*) FROM quell_internal.cluster_sessions
SELECT query, phase FROM quell_internal.cluster_queries WHERE distributed = FALSE
SELECT node_id, status FROM quell_internal.node_sessions ORDER BY session_start DESC
CREATE USER IF NOT EXISTS fuzzed WITH PASSWORD 'p' VIEWACTIVITY CANCELQUERY
CREATE USER maxroach WITH PASSWORD 'roach' NOVIEWACTIVITYREDACTED NOLOGIN
ALTER USER maxroach WITH NOCANCELQUERY LOGIN
ALTER USER maxroach PASSWORD 'new'
DROP USER IF EXISTS fuzzed
CREATE ROLE readers
DROP ROLE readers
CREATE VIEW fuzzed_sessions AS SHOW SESSIONS
CREATE OR REPLACE VIEW fuzzed (id, who) AS SELECT session_id, user_name FROM (SHOW SESSIONS) AS s WHERE status = 'ACTIVE'
DROP VIEW IF EXISTS fuzzed
GRANT admin TO maxroach
REVOKE admin FROM maxroach
SHOW USERS
SHOW GRANTS
SET application_name = 'fuzz'
SET statement_timeout TO '5s'
SET idle_in_session_timeout = 0
SHOW application_name
SHOW session_id
SHOW ALL
RESET statement_timeout
SELECT 1
SELECT pg_sleep(0.001)
VALUES (1, 'a'), (2, 'b')
SELECT n_name, COUNT(*) FROM nation n JOIN region r ON n.n_regionkey = r.r_regionkey GROUP BY n_name HAVING COUNT(*) > 0 ORDER BY 2 DESC
SELECT r_name FROM region WHERE r_regionkey BETWEEN 1 AND 3 UNION ALL SELECT 'x' FROM (VALUES 1) AS t(c)
SELECT CASE WHEN n_nationkey < 5 THEN 'low' ELSE 'high' END AS k, SUM(n_regionkey) FROM nation GROUP BY 1
SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty, AVG(l_extendedprice) FROM lineitem WHERE l_orderkey < 10 GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag
SELECT o_orderpriority, COUNT(*) FROM orders WHERE o_orderkey < 100 AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey) GROUP BY o_orderpriority
SELECT c_name, c_acctbal FROM customer WHERE c_custkey IN (1, 2, 3) ORDER BY c_acctbal FETCH FIRST 2 ROWS ONLY
SELECT s_name FROM supplier WHERE s_suppkey = ANY (SELECT ps_suppkey FROM partsupp WHERE ps_partkey < 3) LIMIT 5
SELECT CAST('2024-01-01' AS DATE) + INTERVAL '1' DAY, TRIM(BOTH ' ' FROM ' a '), SUBSTRING('abc' FROM 2 FOR 1)
SELECT ROW_NUMBER() OVER (PARTITION BY n_regionkey ORDER BY n_name) FROM nation
SELECT 1 FROM nation WHERE n_name LIKE 'A%' ESCAPE '!' AND n_comment IS NOT NULL
SELECT UPPER(n_name) || '-' || CAST(n_nationkey AS VARCHAR(10)) FROM nation OFFSET 3 ROWS
SELECT * FROM nation NATURAL JOIN region
SELECT x FROM UNNEST(ARRAY[1, 2, 3]) AS t(x)
EXPLAIN PLAN FOR SELECT * FROM region
