-- The pull's probe without a server connection per register. Behind PgBouncer each register logs
-- in as its own role and PgBouncer keeps a pool per login, so with 200 registers probing every
-- second nearly every probe started a backend (npm run bench -- probe: about 180 a second, half
-- of a 2-core central). PgBouncer can instead give the probe an entry of its own whose server
-- connections all log in as pos_prober (`user=pos_prober` in [databases]): registers still
-- authenticate as themselves, and share a couple of backends.
--
-- Central then no longer knows which register asks, so the register says, and proves it with a
-- probe key of its own that provisioning hands it (only its SHA-256 is kept here). A wrong key, or
-- the key of a revoked register, gets nothing.
ALTER TABLE sync.terminals ADD COLUMN probe_key_hash bytea;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pos_prober') THEN
    CREATE ROLE pos_prober NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- Another central database on this server created it at the same moment.
  NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO pos_prober', current_database());
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA sync TO pos_prober;
--> statement-breakpoint
-- What sync.pull_changes() answers a register's own login, for the register whose key this is.
CREATE FUNCTION sync.probe_changes(register uuid, probe_key text, OUT changes bigint, OUT changed_us bigint, OUT now_us bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid;
BEGIN
  SELECT t.business_id INTO business FROM sync.terminals t
  WHERE t.register_id = register AND t.revoked_at IS NULL AND t.probe_key_hash = sha256(convert_to(probe_key, 'UTF8'));
  IF business IS NULL THEN
    RAISE EXCEPTION 'no live register has that probe key (provisioned again, or revoked?)' USING ERRCODE = '28000';
  END IF;
  SELECT coalesce(sum(c.changes), 0)::bigint,
    coalesce(floor(extract(epoch FROM max(c.changed_at) FILTER (WHERE c.changed_at > '-infinity')) * 1000000)::bigint, 0),
    floor(extract(epoch FROM now()) * 1000000)::bigint
  INTO changes, changed_us, now_us
  FROM sync.change_counts c
  WHERE c.business_id = '00000000-0000-0000-0000-000000000000' OR c.business_id = business;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.probe_changes(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.probe_changes(uuid, text) TO pos_prober, pos_terminal;
