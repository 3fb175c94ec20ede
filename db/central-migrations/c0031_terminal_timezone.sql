-- A terminal's sessions read and write in UTC because its login says so, not because it asks at
-- connection time: a chain puts its registers behind a pooler in transaction mode (README,
-- "Two hundred registers: central behind PgBouncer"), which passes no startup options on to
-- PostgreSQL (PgBouncer refuses them outright), and whose server connections are opened as each
-- register's own login. The role's setting holds for a direct connection just the same.
CREATE OR REPLACE FUNCTION sync.fence_login(login name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '15s');
  EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', login, '5s');
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, '30s');
  EXECUTE format('ALTER ROLE %I SET tcp_keepalives_idle = 10', login);
  EXECUTE format('ALTER ROLE %I SET tcp_keepalives_interval = 5', login);
  EXECUTE format('ALTER ROLE %I SET tcp_keepalives_count = 3', login);
  IF current_setting('server_version_num')::int >= 140000 THEN
    EXECUTE format('ALTER ROLE %I SET client_connection_check_interval = %L', login, '5s');
  END IF;
  EXECUTE format('ALTER ROLE %I SET TimeZone = %L', login, 'UTC');
END
$$;
--> statement-breakpoint
SELECT sync.fence_login(role_name) FROM sync.terminals;
