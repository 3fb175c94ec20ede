-- Terminals pull by (updated_at, id) and keep a cursor. Two ways a row could land behind a
-- cursor a terminal has already passed, and so never come down:
--  * an insert carrying the updated_at its terminal gave it (a product made on a register that
--    was offline for a week reaches central stamped a week ago);
--  * a transaction still open when a pull runs (a slow push batch, a long import): updated_at is
--    its start time, and rows committed later by faster transactions move cursors past it.
-- So central stamps every insert into a pulled table with its own clock, as updates already are
-- (pos_touch_updated_at), and sync.pull_horizon() keeps pulls below the start of the oldest
-- transaction that is still writing.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') THEN
    RAISE EXCEPTION 'pos central migrate needs a superuser or a member of pg_read_all_stats: sync.pull_horizon() reads when every session''s transaction began';
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION sync.stamp_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['business.permissions', 'auth.users', 'business.businesses', 'business.branches', 'sales.cash_registers',
    'business.roles', 'business.role_permissions', 'auth.user_identities', 'business.employees', 'business.employee_branches',
    'business.settings', 'payments.payment_methods', 'inventory.categories', 'inventory.products', 'inventory.product_variants']
  LOOP
    EXECUTE format('CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival()', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- SECURITY DEFINER: a terminal's login sees only its own sessions in pg_stat_activity. A
-- transaction has an xid once it writes; updated_at of what it writes is its xact_start. Only
-- this database's sessions count: other databases on the server write other rows. A session
-- left idle in a writing transaction holds pulls back until it ends, which is the price of
-- never skipping its rows.
CREATE FUNCTION sync.pull_horizon(settle_seconds double precision) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT least(now() - make_interval(secs => settle_seconds),
               (SELECT min(a.xact_start) FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()))
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.pull_horizon(double precision) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.pull_horizon(double precision) TO pos_terminal;
