-- ALTER ROLE name SET variable = value: the session variables a role's sessions start with.
-- setting_value is as SHOW displays it, validated when it was set. IF NOT EXISTS: see V1.
CREATE TABLE IF NOT EXISTS role_settings (
  role_name VARCHAR(128) NOT NULL,
  variable VARCHAR(128) NOT NULL,
  setting_value VARCHAR(4096) NOT NULL,
  PRIMARY KEY (role_name, variable));
