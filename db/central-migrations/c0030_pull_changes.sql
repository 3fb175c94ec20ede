-- A price changed at central reaches every online register in seconds, without 200 registers
-- pulling 25 tables every second: each polls sync.pull_changes(), one row of a handful of
-- counters, and pulls only when its business's count moved (and every pullEverySeconds anyway).
--
-- The count lives in sync.change_counts, bumped by statement-level triggers on the tables people
-- edit: the catalog, staff, roles, settings and payment methods. Not on those every push or
-- worker churns (a register's receipt counters, invoices, notifications): counting those would
-- wake every register of a business at each sale anywhere in it; they come with the periodic pull.
--
-- A bump is part of the writer's transaction, so the count moves when its rows are committed,
-- never before, and a rolled-back import moves nothing. Each business has up to 64 counter rows
-- (a session's own by its backend number, or any other one no transaction holds): two writers
-- never queue on one row, so a long import never holds a register's catalog push.
-- changed_at is the latest now() of the transactions counted, which is the updated_at of every
-- row they wrote (pos_touch_updated_at, sync.stamp_arrival): a terminal that saw the count move
-- pulls once central's pull horizon is past it, and not before (the settle window and
-- transactions still open keep the horizon back; see c0002_pull_horizon).
CREATE TABLE sync.change_counts (
  -- The nil uuid counts what every business pulls (business.permissions).
  business_id uuid NOT NULL,
  slot smallint NOT NULL CHECK (slot BETWEEN 0 AND 63),
  changes bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT '-infinity',
  PRIMARY KEY (business_id, slot)
);
--> statement-breakpoint
REVOKE ALL ON sync.change_counts FROM PUBLIC;
--> statement-breakpoint
-- TG_ARGV[0]: a query over the statement's rows (the transition table "changed") answering the
-- businesses they belong to.
CREATE FUNCTION sync.count_pulled_change() RETURNS trigger
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
    UPDATE sync.change_counts c SET changes = c.changes + 1, changed_at = greatest(c.changed_at, now())
    WHERE c.business_id = b AND c.slot = coalesce(s, own);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.count_pulled_change() FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE
  t record;
  op text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('business.permissions', $q$SELECT '00000000-0000-0000-0000-000000000000'::uuid$q$),
    ('auth.users', 'SELECT e.business_id FROM changed c JOIN business.employees e ON e.user_id = c.id'),
    ('business.businesses', 'SELECT id FROM changed'),
    ('business.branches', 'SELECT business_id FROM changed'),
    ('billing.fiscal_profiles', 'SELECT business_id FROM changed'),
    ('business.roles', 'SELECT business_id FROM changed'),
    ('business.role_permissions', 'SELECT r.business_id FROM changed c JOIN business.roles r ON r.id = c.role_id'),
    ('auth.user_identities',
      'SELECT coalesce(c.business_id, e.business_id) FROM changed c LEFT JOIN business.employees e ON e.user_id = c.user_id'),
    ('business.employees', 'SELECT business_id FROM changed'),
    ('business.employee_branches', 'SELECT e.business_id FROM changed c JOIN business.employees e ON e.id = c.employee_id'),
    ('business.settings', 'SELECT business_id FROM changed'),
    ('payments.payment_methods', 'SELECT business_id FROM changed'),
    ('inventory.categories', 'SELECT business_id FROM changed'),
    ('inventory.products', 'SELECT business_id FROM changed'),
    ('inventory.product_variants', 'SELECT business_id FROM changed')
  ) AS v(name, businesses)
  LOOP
    -- A trigger with a transition table answers one kind of statement.
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE'] LOOP
      EXECUTE format('CREATE TRIGGER sync_count_%s AFTER %s ON %s REFERENCING NEW TABLE AS changed FOR EACH STATEMENT '
        'EXECUTE FUNCTION sync.count_pulled_change(%L)', lower(op), op, t.name, t.businesses);
    END LOOP;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The probe: the caller's business's count (and what every business pulls), the latest
-- changed_at among them and central's clock, in microseconds since the epoch.
CREATE FUNCTION sync.pull_changes(OUT changes bigint, OUT changed_us bigint, OUT now_us bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(sum(c.changes), 0)::bigint,
    coalesce(floor(extract(epoch FROM max(c.changed_at) FILTER (WHERE c.changed_at > '-infinity')) * 1000000)::bigint, 0),
    floor(extract(epoch FROM now()) * 1000000)::bigint
  FROM sync.change_counts c
  WHERE c.business_id = '00000000-0000-0000-0000-000000000000' OR c.business_id = sync.my_business()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.pull_changes() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.pull_changes() TO pos_terminal;
