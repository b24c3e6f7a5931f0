-- QUERY LIMIT: how many of a role's queries may run at once on a node. IF NOT EXISTS: see V1.
ALTER TABLE roles ADD COLUMN IF NOT EXISTS query_limit INT DEFAULT -1 NOT NULL;
