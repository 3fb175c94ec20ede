-- Central stamps a pulled row with the moment it is written, not with its transaction's start.
-- A terminal's cursor on a table moves to the last row it pulled, and sync.pull_horizon() keeps
-- a pass behind the start of every transaction that has written something. A transaction that
-- had not written yet did not hold the horizon back, so with its start as the stamp, a write
-- made more than the settle window after its start (an operator's BEGIN, a pause, an UPDATE; a
-- push that waited for a lock first) landed behind cursors already moved past that start by
-- other rows, and never came down. Stamped when written, a row is newer than any horizon a pass
-- read before it, and one read after it waits for its transaction (c0002's reasoning, which
-- assumed the start was when a transaction wrote). The rows of one transaction now carry
-- different instants: a pass takes what is below its one horizon, and the next takes the rest.
--
-- pos_touch_updated_at is the shared migrations' function; central replaces it here, and a
-- shared migration that redefines it must keep central's clock_timestamp() (the terminal's own
-- rows are ordered by nobody's cursor and keep now()).
CREATE OR REPLACE FUNCTION public.pos_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.stamp_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- The change's instant follows: taken after the statement's rows were written, it is at or past
-- every stamp they carry, so a register that saw the count move waits for a horizon past it.
CREATE OR REPLACE FUNCTION sync.count_pulled_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  businesses uuid[];
  b uuid;
  own smallint := pg_backend_pid() % 64;
  s smallint;
BEGIN
  EXECUTE format('SELECT array_agg(DISTINCT b ORDER BY b) FROM (%s) AS found(b) WHERE b IS NOT NULL', TG_ARGV[0]) INTO businesses;
  -- In a fixed order: two transactions bumping the same businesses take their rows alike.
  FOREACH b IN ARRAY coalesce(businesses, '{}') LOOP
    INSERT INTO sync.change_counts (business_id, slot) VALUES (b, own) ON CONFLICT DO NOTHING;
    SELECT c.slot INTO s FROM sync.change_counts c WHERE c.business_id = b
      ORDER BY c.slot = own DESC, c.slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    -- Every row held by another transaction at once: wait for this session's own.
    UPDATE sync.change_counts c SET changes = c.changes + 1, changed_at = greatest(c.changed_at, clock_timestamp())
    WHERE c.business_id = b AND c.slot = coalesce(s, own);
  END LOOP;
  RETURN NULL;
END
$$;
