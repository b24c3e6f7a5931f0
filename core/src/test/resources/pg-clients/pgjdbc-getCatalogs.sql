-- pgjdbc 42.7.4 (server_version 13.0.0), getCatalogs(), as the server logged it
-- (log_statement=all); $n are the parameters of a prepared statement, their values on the
-- comment line above each statement that has any.

SELECT datname AS TABLE_CAT FROM pg_catalog.pg_database WHERE datallowconn = true ORDER BY datname;
