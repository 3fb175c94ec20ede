-- A terminal's login gets only what a register needs. Its sync.json can be copied off the till,
-- so everything below assumes the login is in hostile hands and fences what it can reach:
--  * its sessions cannot idle in a transaction, wait on a lock or run a statement for long, and a
--    dead peer is noticed (role settings: a register that lost power mid-push otherwise held its
--    locks for minutes, stalling its branch's pushes and the business's pulls);
--  * the push's lock is taken by central for the caller's own register, under a key a terminal
--    cannot compute, and terminals cannot take advisory locks themselves;
--  * every row a register inserts may point only at rows of its own register, branch or business;
--  * SECURITY DEFINER functions search pg_temp last, so a temporary object cannot stand in for a
--    catalog view inside them, and sync.pull_horizon refuses absurd arguments;
--  * it reads the PIN identities of staff assigned to its branch, not passwords;
--  * catalog, stock and store-credit changes land only through functions that check the author
--    of the fact holds the permission, in central's own role tables.

-- Role settings are per login role (membership in pos_terminal does not carry them), so this is
-- applied to each terminal login: here for those provisioned already, and by provision-terminal.
-- The values sit well above what a healthy push or pull needs (a 250-fact batch takes well under
-- a second) and well below the minutes a stuck session used to hold everything.
CREATE FUNCTION sync.fence_login(login name) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.fence_login(name) FROM PUBLIC;
--> statement-breakpoint
SELECT sync.fence_login(role_name) FROM sync.terminals;
--> statement-breakpoint
-- pg_temp, when not named, is searched before pg_catalog: a terminal's temporary view named
-- pg_stat_activity would have been what these functions read.
ALTER FUNCTION sync.my_register() SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION sync.my_branch() SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION sync.my_business() SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
-- Only sessions that can write rows this caller pulls hold its pulls back: other businesses'
-- terminals cannot. A terminal's transaction counts for two minutes at most: its role's limits
-- end a healthy one long before, so one older than that belongs to a login that lifted its own
-- limits, and it may hold back nobody's pulls (rows it commits late are its own business's loss).
CREATE OR REPLACE FUNCTION sync.pull_horizon(settle_seconds double precision) RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mine uuid := sync.my_business();
BEGIN
  IF settle_seconds IS NULL OR settle_seconds = 'NaN'::double precision OR settle_seconds < 0 OR settle_seconds > 3600 THEN
    RAISE EXCEPTION 'sync.pull_horizon: settle_seconds must be a number of seconds from 0 to 3600, not %', coalesce(settle_seconds::text, 'null')
      USING ERRCODE = '22023';
  END IF;
  RETURN least(now() - make_interval(secs => settle_seconds),
    (SELECT min(a.xact_start) FROM pg_catalog.pg_stat_activity a
     LEFT JOIN sync.terminals t ON t.role_name = a.usename
     WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
       AND (t.role_name IS NULL
         OR ((mine IS NULL OR t.business_id = mine) AND a.xact_start > now() - interval '2 minutes'))));
END
$$;
--> statement-breakpoint
-- The push's turn-taking lock. The key mixes in a secret terminals cannot read, and the function
-- locks only the caller's own register: a login cannot block another register's pushes.
CREATE TABLE sync.lock_secret (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  secret text NOT NULL
);
--> statement-breakpoint
INSERT INTO sync.lock_secret (secret) VALUES (md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));
--> statement-breakpoint
CREATE FUNCTION sync.lock_my_ledger() RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  register uuid := sync.my_register();
BEGIN
  IF register IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  -- A login may lift its own limits (SET is open to any session): before each push, central
  -- ends the business's terminal sessions that outstayed them, so a hostile or wedged one cannot
  -- hold its branch's stock rows for longer than a healthy one ever would. Without the right to
  -- signal backends (an owner that is neither superuser nor in pg_signal_backend), the role
  -- limits alone stand.
  BEGIN
    PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a JOIN sync.terminals t ON t.role_name = a.usename
    WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND t.business_id = sync.my_business()
      AND ((a.state LIKE 'idle in transaction%' AND a.state_change < now() - interval '15 seconds')
        OR a.xact_start < now() - interval '2 minutes');
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  PERFORM pg_advisory_xact_lock(hashtext((SELECT secret FROM sync.lock_secret) || ':sync.ledger:' || register::text));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.lock_my_ledger() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.lock_my_ledger() TO pos_terminal;
--> statement-breakpoint
-- Advisory locks are open to PUBLIC by default; in central's database only its owner takes them
-- (the migrator, and the definer function above). A migrating owner that is not a superuser
-- cannot change the built-in functions' grants: the secret key above then still fences the push.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname LIKE 'pg\_%advisory\_%lock%'
  LOOP
    BEGIN
      EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot revoke % from PUBLIC (not a superuser); the push lock is fenced by its key', f;
    END;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Does the row `ref` points at belong to this terminal's register, branch or business? NULL
-- references are for the foreign key's own NOT NULL to judge. Foreign keys check that a row
-- exists, not whose it is: a payment could otherwise be attached to any sale on central.
CREATE FUNCTION sync.owns(what text, ref uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid := sync.my_business();
  register uuid := sync.my_register();
BEGIN
  IF ref IS NULL THEN
    RETURN true;
  END IF;
  RETURN CASE what
    WHEN 'employee' THEN EXISTS (SELECT 1 FROM business.employees WHERE id = ref AND business_id = business)
    WHEN 'user' THEN EXISTS (SELECT 1 FROM business.employees WHERE user_id = ref AND business_id = business)
    WHEN 'product' THEN EXISTS (SELECT 1 FROM inventory.products WHERE id = ref AND business_id = business)
    WHEN 'variant' THEN EXISTS (SELECT 1 FROM inventory.product_variants WHERE id = ref AND business_id = business)
    WHEN 'category' THEN EXISTS (SELECT 1 FROM inventory.categories WHERE id = ref AND business_id = business)
    WHEN 'method' THEN EXISTS (SELECT 1 FROM payments.payment_methods WHERE id = ref AND business_id = business)
    WHEN 'balance' THEN EXISTS (SELECT 1 FROM payments.balances WHERE id = ref AND business_id = business)
    WHEN 'shift' THEN EXISTS (SELECT 1 FROM sales.shifts WHERE id = ref AND register_id = register)
    WHEN 'sale' THEN EXISTS (SELECT 1 FROM sales.sales WHERE id = ref AND register_id = register)
    -- A sale is returned at any register of its business, not only where it was rung up.
    WHEN 'business_sale' THEN EXISTS (SELECT 1 FROM sales.sales WHERE id = ref AND business_id = business)
    WHEN 'business_sale_item' THEN EXISTS (SELECT 1 FROM sales.sale_items i JOIN sales.sales s ON s.id = i.sale_id
                                           WHERE i.id = ref AND s.business_id = business)
    WHEN 'return' THEN EXISTS (SELECT 1 FROM sales.returns WHERE id = ref AND register_id = register)
    WHEN 'transaction' THEN EXISTS (SELECT 1 FROM payments.transactions WHERE id = ref AND register_id = register)
    WHEN 'business_transaction' THEN EXISTS (SELECT 1 FROM payments.transactions WHERE id = ref AND business_id = business)
    WHEN 'refund' THEN EXISTS (SELECT 1 FROM payments.refunds WHERE id = ref AND register_id = register)
    ELSE false
  END;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.owns(text, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.owns(text, uuid) TO pos_terminal;
--> statement-breakpoint
-- Restrictive: these hold in addition to each table's own-register policy, for inserts and updates.
DO $$
DECLARE
  spec text[];
BEGIN
  FOREACH spec SLICE 1 IN ARRAY ARRAY[
    ['sales.shifts', $c$sync.owns('employee', opened_by) AND sync.owns('employee', closed_by) AND sync.owns('employee', approved_by)$c$],
    ['sales.sales', $c$sync.owns('shift', shift_id) AND sync.owns('employee', employee_id) AND sync.owns('employee', voided_by)
      AND sync.owns('employee', sale_discount_approved_by)$c$],
    ['sales.sale_items', $c$sync.owns('sale', sale_id) AND sync.owns('variant', variant_id) AND sync.owns('product', product_id)
      AND sync.owns('employee', discount_approved_by) AND sync.owns('employee', price_overridden_by)$c$],
    ['sales.cash_movements', $c$sync.owns('shift', shift_id) AND sync.owns('employee', employee_id) AND sync.owns('employee', approved_by)$c$],
    ['sales.returns', $c$sync.owns('business_sale', sale_id) AND sync.owns('shift', shift_id) AND sync.owns('employee', employee_id)
      AND sync.owns('employee', approved_by)$c$],
    ['sales.return_items', $c$sync.owns('return', return_id) AND sync.owns('business_sale_item', sale_item_id)$c$],
    ['payments.transactions', $c$sync.owns('sale', sale_id) AND sync.owns('shift', shift_id) AND sync.owns('employee', employee_id)
      AND sync.owns('method', payment_method_id) AND sync.owns('balance', balance_id)$c$],
    ['payments.refunds', $c$sync.owns('business_sale', sale_id) AND sync.owns('return', return_id) AND sync.owns('shift', shift_id)
      AND sync.owns('employee', employee_id) AND sync.owns('employee', approved_by) AND sync.owns('method', payment_method_id)
      AND sync.owns('balance', balance_id) AND sync.owns('business_transaction', transaction_id)$c$],
    ['inventory.stock_movements', $c$sync.owns('variant', variant_id) AND sync.owns('employee', employee_id)$c$],
    ['inventory.stock_levels', $c$sync.owns('variant', variant_id)$c$]
  ] LOOP
    EXECUTE format('CREATE POLICY terminal_references ON %s AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (%s)', spec[1], spec[2]);
    EXECUTE format('CREATE POLICY terminal_references_update ON %s AS RESTRICTIVE FOR UPDATE TO pos_terminal USING (true) WITH CHECK (%s)', spec[1], spec[2]);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Sign-in at a register needs the PIN hashes of the staff assigned to its branch, nothing more:
-- no back-office passwords, no other branch's PINs. (A removed assignment still counts, so the
-- identity's own later changes, its soft delete included, keep coming down.)
DROP POLICY terminal_reads ON auth.user_identities;
--> statement-breakpoint
CREATE POLICY terminal_reads ON auth.user_identities FOR SELECT TO pos_terminal
  USING (provider = 'PIN' AND business_id = (SELECT sync.my_business())
    AND EXISTS (SELECT 1 FROM business.employees e JOIN business.employee_branches eb ON eb.employee_id = e.id
                WHERE e.user_id = user_identities.user_id AND e.business_id = (SELECT sync.my_business())
                  AND eb.branch_id = (SELECT sync.my_branch())));
--> statement-breakpoint
-- Terminals pull identities by their updated_at: one whose holder is assigned to a branch (or
-- moved off it) after the PIN was set would stay behind every cursor, and the new colleague could
-- never sign in there. Central touches the holder's PIN identities when an assignment changes.
CREATE FUNCTION sync.touch_pin_identities() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE auth.user_identities i SET updated_at = now()
  FROM business.employees e WHERE e.id = NEW.employee_id AND i.user_id = e.user_id AND i.provider = 'PIN';
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sync_touch_pin_identities AFTER INSERT OR UPDATE ON business.employee_branches
  FOR EACH ROW EXECUTE FUNCTION sync.touch_pin_identities();
--> statement-breakpoint
-- The catalog is written at central only through sync.apply_catalog_row and sync.apply_stock_fact.
REVOKE INSERT, UPDATE ON inventory.products, inventory.product_variants, inventory.search_words FROM pos_terminal;
--> statement-breakpoint
-- Store-credit balances move only through sync.open_store_credit and sync.apply_balance_movements.
-- The sale and return replays keep their (privilege-checked) statements, so the grants stay and
-- these policies let none of their rows through.
CREATE POLICY terminal_no_direct_insert ON payments.balances AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (false);
--> statement-breakpoint
CREATE POLICY terminal_no_direct_update ON payments.balances AS RESTRICTIVE FOR UPDATE TO pos_terminal USING (false);
--> statement-breakpoint
-- A store-credit code is as good as cash to whoever reads it, and a register never reads them
-- from central (the checks above run as central's owner).
CREATE POLICY terminal_no_read ON payments.balances AS RESTRICTIVE FOR SELECT TO pos_terminal USING (false);
--> statement-breakpoint
CREATE POLICY terminal_no_direct_insert ON payments.balance_movements AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (false);
--> statement-breakpoint
-- A register's own counters: returns and Z reports are numbered like receipts (the replays of
-- return.recorded and shift.closed move them), and were refused for want of these columns.
GRANT UPDATE (last_return_number, last_z_number) ON sales.cash_registers TO pos_terminal;
--> statement-breakpoint
-- Refused unless `author` is a live employee of the caller's business whose role holds `permission`.
CREATE FUNCTION sync.require_permission(author uuid, permission text, also uuid DEFAULT NULL) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM business.employees e
    JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
    JOIN business.permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
    WHERE e.id IN (author, also) AND e.business_id = sync.my_business() AND e.deleted_at IS NULL AND p.code = permission
  ) THEN
    RAISE EXCEPTION 'the fact''s author (employee %) does not hold % in this business on central', coalesce(author::text, 'unknown'), permission
      USING ERRCODE = '42501';
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.require_permission(uuid, text, uuid) FROM PUBLIC;
--> statement-breakpoint
-- Upserts a whole product or variant row unless central holds that version or a newer one.
CREATE FUNCTION sync.upsert_catalog_row(tbl regclass, item jsonb) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid := sync.my_business();
  assignments text;
  done boolean;
BEGIN
  IF tbl NOT IN ('inventory.products'::regclass, 'inventory.product_variants'::regclass) THEN
    RAISE EXCEPTION 'not a catalog table: %', tbl USING ERRCODE = '42501';
  END IF;
  IF business IS NULL OR (item->>'business_id')::uuid IS DISTINCT FROM business THEN
    RAISE EXCEPTION 'a catalog row of another business' USING ERRCODE = '42501';
  END IF;
  IF tbl = 'inventory.product_variants'::regclass AND NOT sync.owns('product', (item->>'product_id')::uuid) THEN
    RAISE EXCEPTION 'a variant of another business''s product' USING ERRCODE = '42501';
  END IF;
  IF tbl = 'inventory.products'::regclass AND NOT sync.owns('category', (item->>'category_id')::uuid) THEN
    RAISE EXCEPTION 'a product in another business''s category' USING ERRCODE = '42501';
  END IF;
  SELECT string_agg(format('%I = EXCLUDED.%I', attname, attname), ', ' ORDER BY attnum) INTO assignments
  FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attname NOT IN ('id', 'created_at');
  -- The row already there must be this business's too: an id is not proof of ownership.
  EXECUTE format('INSERT INTO %s AS t SELECT * FROM jsonb_populate_record(NULL::%s, $1) ON CONFLICT (id) DO UPDATE SET %s
    WHERE t.version < EXCLUDED.version AND t.business_id = $2 RETURNING true', tbl, tbl, assignments)
    INTO done USING item, business;
  RETURN coalesce(done, false);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.upsert_catalog_row(regclass, jsonb) FROM PUBLIC;
--> statement-breakpoint
-- catalog.product_saved / catalog.variant_saved: the author must hold catalog.manage.
CREATE FUNCTION sync.apply_catalog_row(tbl regclass, item jsonb, author uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM sync.require_permission(author, 'catalog.manage');
  RETURN sync.upsert_catalog_row(tbl, item);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_catalog_row(regclass, jsonb, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_catalog_row(regclass, jsonb, uuid) TO pos_terminal;
--> statement-breakpoint
-- stock.received / stock.adjusted: the movement's employee must hold inventory.receive or
-- inventory.adjust; the movement is this branch's; the item is put in only when central lacks it.
CREATE FUNCTION sync.apply_stock_fact(fact jsonb) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m jsonb := fact->'movement';
  business uuid := sync.my_business();
  moved boolean;
BEGIN
  IF m IS NULL OR jsonb_typeof(m) = 'null' THEN
    RETURN false;
  END IF;
  PERFORM sync.require_permission((m->>'employee_id')::uuid,
    CASE WHEN m->>'reference_type' = 'stock.receive' THEN 'inventory.receive' ELSE 'inventory.adjust' END);
  IF (m->>'branch_id')::uuid IS DISTINCT FROM sync.my_branch() THEN
    RAISE EXCEPTION 'a stock movement of another branch' USING ERRCODE = '42501';
  END IF;
  IF (fact->'product'->>'business_id')::uuid IS DISTINCT FROM business OR (fact->'variant'->>'business_id')::uuid IS DISTINCT FROM business
     OR (fact->'variant'->>'id') IS DISTINCT FROM (m->>'variant_id') OR (fact->'variant'->>'product_id') IS DISTINCT FROM (fact->'product'->>'id') THEN
    RAISE EXCEPTION 'a stock movement of another business''s item' USING ERRCODE = '42501';
  END IF;
  IF NOT sync.owns('category', (fact->'product'->>'category_id')::uuid) THEN
    RAISE EXCEPTION 'a product in another business''s category' USING ERRCODE = '42501';
  END IF;
  INSERT INTO inventory.products SELECT * FROM jsonb_populate_record(NULL::inventory.products, fact->'product') ON CONFLICT DO NOTHING;
  INSERT INTO inventory.product_variants SELECT * FROM jsonb_populate_record(NULL::inventory.product_variants, fact->'variant') ON CONFLICT DO NOTHING;
  IF NOT sync.owns('variant', (m->>'variant_id')::uuid) THEN
    RAISE EXCEPTION 'a stock movement of another business''s item' USING ERRCODE = '42501';
  END IF;
  WITH ins AS (
    INSERT INTO inventory.stock_movements SELECT x.* FROM jsonb_populate_record(NULL::inventory.stock_movements, m) x
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING variant_id, branch_id, quantity
  ), lvl AS (
    INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity)
    SELECT (fact->>'stockLevelId')::uuid, ins.variant_id, ins.branch_id, ins.quantity FROM ins
    ON CONFLICT (variant_id, branch_id) DO UPDATE
      SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1
    RETURNING 1
  )
  SELECT count(*) > 0 INTO moved FROM lvl;
  RETURN moved;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_stock_fact(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_stock_fact(jsonb) TO pos_terminal;
--> statement-breakpoint
-- A return refunded to store credit issues a new slip, empty until its movement lands.
CREATE FUNCTION sync.open_store_credit(balance jsonb) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  done boolean;
BEGIN
  IF balance->>'kind' IS DISTINCT FROM 'STORE_CREDIT' OR (balance->>'amount')::numeric <> 0 OR balance->>'holder_user_id' IS NOT NULL
     OR (balance->>'business_id')::uuid IS DISTINCT FROM sync.my_business() THEN
    RAISE EXCEPTION 'a register may only issue an empty store-credit slip of its own business' USING ERRCODE = '42501';
  END IF;
  INSERT INTO payments.balances SELECT * FROM jsonb_populate_record(NULL::payments.balances, balance) ON CONFLICT DO NOTHING RETURNING true INTO done;
  RETURN coalesce(done, false);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.open_store_credit(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.open_store_credit(jsonb) TO pos_terminal;
--> statement-breakpoint
-- Store credit spent by a sale or issued by a return: each movement must be the mirror of a
-- payment or refund of this register that names the same balance, and the employee behind it
-- (or the one who approved the refund) must hold the permission for it.
CREATE FUNCTION sync.apply_balance_movements(movements jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m payments.balance_movements;
  t payments.transactions;
  r payments.refunds;
  applied integer := 0;
  inserted uuid;
BEGIN
  FOR m IN SELECT * FROM jsonb_populate_recordset(NULL::payments.balance_movements, movements) LOOP
    IF NOT sync.owns('balance', m.balance_id) THEN
      RAISE EXCEPTION 'store credit of another business' USING ERRCODE = '42501';
    END IF;
    IF m.transaction_id IS NOT NULL AND m.refund_id IS NULL THEN
      SELECT * INTO t FROM payments.transactions WHERE id = m.transaction_id AND register_id = sync.my_register();
      IF NOT FOUND OR t.balance_id IS DISTINCT FROM m.balance_id OR m.amount <> -t.amount THEN
        RAISE EXCEPTION 'a store-credit movement that is not this register''s payment from that balance' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(t.employee_id, 'sales.sell');
    ELSIF m.refund_id IS NOT NULL AND m.transaction_id IS NULL THEN
      SELECT * INTO r FROM payments.refunds WHERE id = m.refund_id AND register_id = sync.my_register();
      IF NOT FOUND OR r.balance_id IS DISTINCT FROM m.balance_id OR m.amount <> r.amount THEN
        RAISE EXCEPTION 'a store-credit movement that is not this register''s refund to that balance' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(r.employee_id, 'sales.return', r.approved_by);
    ELSE
      RAISE EXCEPTION 'a store-credit movement must come from one payment or one refund' USING ERRCODE = '42501';
    END IF;
    INSERT INTO payments.balance_movements SELECT m.* ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO inserted;
    IF inserted IS NOT NULL THEN
      UPDATE payments.balances SET amount = amount + m.amount, version = version + 1 WHERE id = m.balance_id;
      applied := applied + 1;
    END IF;
  END LOOP;
  RETURN applied;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_balance_movements(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_balance_movements(jsonb) TO pos_terminal;
