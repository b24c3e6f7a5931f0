-- CREATE VIEW. folded_name is the name in lower case, so that names differing only in case
-- collide, as the engine looks names up ignoring case. IF NOT EXISTS: see V1.
CREATE TABLE IF NOT EXISTS views (
  schema_name VARCHAR(128) NOT NULL,
  folded_name VARCHAR(128) NOT NULL,
  name VARCHAR(128) NOT NULL,
  definition VARCHAR(1000000) NOT NULL,
  PRIMARY KEY (schema_name, folded_name));
