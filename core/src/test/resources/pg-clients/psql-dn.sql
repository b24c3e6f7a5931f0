-- psql 15.18 -E, command \dn, against a server announcing server_version 13.0.0
-- (psql sends its 13 variants; captured through a proxy in front of PostgreSQL 15).

SELECT n.nspname AS "Name",
  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1;
