-- Central only: the terminals that may push here, the ledger that makes every push exactly
-- once, and row-level security so a terminal's login writes only its own register's records,
-- can never change a financial record, and reads only its own business's catalog and staff.
-- Terminals log in as one role each (pos central provision-terminal), all members of
-- pos_terminal; the schema's owner runs migrations and reports and is not subject to RLS.
CREATE SCHEMA IF NOT EXISTS sync;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pos_terminal') THEN
    CREATE ROLE pos_terminal NOLOGIN;
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sync.% is evidence of what terminals sent; it is never changed or removed', TG_TABLE_NAME
    USING ERRCODE = 'PS003';
END
$$;
--> statement-breakpoint
CREATE TABLE sync.terminals (
  register_id uuid PRIMARY KEY REFERENCES sales.cash_registers (id),
  business_id uuid NOT NULL REFERENCES business.businesses (id),
  branch_id uuid NOT NULL REFERENCES business.branches (id),
  role_name text NOT NULL UNIQUE,
  provisioned_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
--> statement-breakpoint
CREATE INDEX terminals_business_id_idx ON sync.terminals (business_id);
--> statement-breakpoint
CREATE INDEX terminals_branch_id_idx ON sync.terminals (branch_id);
--> statement-breakpoint
-- One row per journal fact a terminal delivered: its (register, seq) primary key is what makes
-- a redelivered batch change nothing. A fact central could not apply stays here QUARANTINED
-- with the reason, whole, so it can be looked at and corrected by a compensating record.
CREATE TABLE sync.ledger (
  register_id uuid NOT NULL REFERENCES sync.terminals (register_id),
  seq bigint NOT NULL CHECK (seq > 0),
  kind text NOT NULL,
  idempotency_key text NOT NULL,
  recorded_at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('APPLIED', 'QUARANTINED')),
  reason text,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (register_id, seq)
);
--> statement-breakpoint
CREATE INDEX ledger_quarantined_idx ON sync.ledger (register_id) WHERE status = 'QUARANTINED';
--> statement-breakpoint
CREATE TRIGGER ledger_immutable BEFORE UPDATE OR DELETE ON sync.ledger FOR EACH ROW EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON sync.ledger FOR EACH STATEMENT EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
-- Who the connected terminal is, from its login. SECURITY DEFINER: terminals cannot read
-- sync.terminals itself. NULL for any login that is not a live terminal, so every policy below
-- then matches nothing.
CREATE FUNCTION sync.my_register() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS
  $$ SELECT register_id FROM sync.terminals WHERE role_name = session_user AND revoked_at IS NULL $$;
--> statement-breakpoint
CREATE FUNCTION sync.my_branch() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS
  $$ SELECT branch_id FROM sync.terminals WHERE role_name = session_user AND revoked_at IS NULL $$;
--> statement-breakpoint
CREATE FUNCTION sync.my_business() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS
  $$ SELECT business_id FROM sync.terminals WHERE role_name = session_user AND revoked_at IS NULL $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA auth, business, communication, inventory, sales, payments, billing, sync TO pos_terminal;
--> statement-breakpoint
-- What comes down: the business's catalog, prices, staff, roles and settings (read only).
GRANT SELECT ON business.businesses, business.branches, business.roles, business.role_permissions,
  business.permissions, business.employees, business.employee_branches, business.settings,
  inventory.categories, inventory.products, inventory.product_variants, payments.payment_methods,
  sales.cash_registers, auth.users, auth.user_identities TO pos_terminal;
--> statement-breakpoint
-- What goes up: the records a register's facts carry. No DELETE anywhere, no UPDATE on the
-- immutable ones; the tables' own triggers refuse changing a completed sale or closed shift.
GRANT SELECT, INSERT, UPDATE ON sales.shifts, sales.sales, sales.sale_items, inventory.stock_levels,
  payments.balances TO pos_terminal;
--> statement-breakpoint
GRANT SELECT, INSERT ON sales.cash_movements, sales.returns, sales.return_items, payments.transactions,
  payments.refunds, payments.balance_movements, inventory.stock_movements, sync.ledger TO pos_terminal;
--> statement-breakpoint
GRANT UPDATE (last_receipt_number, version, updated_at) ON sales.cash_registers TO pos_terminal;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'business.businesses', 'business.branches', 'business.roles', 'business.role_permissions', 'business.permissions',
    'business.employees', 'business.employee_branches', 'business.settings', 'inventory.categories', 'inventory.products',
    'inventory.product_variants', 'payments.payment_methods', 'sales.cash_registers', 'auth.users', 'auth.user_identities',
    'sales.shifts', 'sales.sales', 'sales.sale_items', 'sales.cash_movements', 'sales.returns', 'sales.return_items',
    'payments.transactions', 'payments.refunds', 'payments.balances', 'payments.balance_movements',
    'inventory.stock_levels', 'inventory.stock_movements', 'sync.ledger'
  ] LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
  -- Business-wide reference data: the terminal's own business only.
  FOREACH t IN ARRAY ARRAY[
    'business.branches', 'business.roles', 'business.employees', 'business.settings', 'inventory.categories',
    'inventory.products', 'inventory.product_variants', 'payments.payment_methods', 'sales.cash_registers'
  ] LOOP
    EXECUTE format('CREATE POLICY terminal_reads ON %s FOR SELECT TO pos_terminal USING (business_id = (SELECT sync.my_business()))', t);
  END LOOP;
  -- A register's own financial records: inserted, read back, and (where the table allows it at
  -- all) updated only for this register, branch and business.
  FOREACH t IN ARRAY ARRAY['sales.shifts', 'sales.sales', 'sales.returns', 'payments.transactions', 'payments.refunds'] LOOP
    EXECUTE format($p$CREATE POLICY terminal_own ON %s TO pos_terminal
      USING (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()))
      WITH CHECK (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()))$p$, t);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY terminal_reads ON business.businesses FOR SELECT TO pos_terminal USING (id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_reads ON business.permissions FOR SELECT TO pos_terminal USING (true);
--> statement-breakpoint
CREATE POLICY terminal_reads ON business.role_permissions FOR SELECT TO pos_terminal
  USING (EXISTS (SELECT 1 FROM business.roles r WHERE r.id = role_id));
--> statement-breakpoint
CREATE POLICY terminal_reads ON business.employee_branches FOR SELECT TO pos_terminal
  USING (EXISTS (SELECT 1 FROM business.employees e WHERE e.id = employee_id));
--> statement-breakpoint
CREATE POLICY terminal_reads ON auth.users FOR SELECT TO pos_terminal
  USING (EXISTS (SELECT 1 FROM business.employees e WHERE e.user_id = users.id));
--> statement-breakpoint
CREATE POLICY terminal_reads ON auth.user_identities FOR SELECT TO pos_terminal
  USING (business_id = (SELECT sync.my_business())
    OR (business_id IS NULL AND EXISTS (SELECT 1 FROM business.employees e WHERE e.user_id = user_identities.user_id)));
--> statement-breakpoint
CREATE POLICY terminal_own_register ON sales.cash_registers FOR UPDATE TO pos_terminal
  USING (id = (SELECT sync.my_register())) WITH CHECK (id = (SELECT sync.my_register()));
--> statement-breakpoint
CREATE POLICY terminal_own ON sales.cash_movements TO pos_terminal
  USING (register_id = (SELECT sync.my_register())) WITH CHECK (register_id = (SELECT sync.my_register()));
--> statement-breakpoint
CREATE POLICY terminal_own ON sales.sale_items TO pos_terminal
  USING (EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = sale_id))
  WITH CHECK (EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = sale_id));
--> statement-breakpoint
CREATE POLICY terminal_own ON sales.return_items TO pos_terminal
  USING (EXISTS (SELECT 1 FROM sales.returns r WHERE r.id = return_id))
  WITH CHECK (EXISTS (SELECT 1 FROM sales.returns r WHERE r.id = return_id));
--> statement-breakpoint
CREATE POLICY terminal_own ON inventory.stock_movements TO pos_terminal
  USING (branch_id = (SELECT sync.my_branch())) WITH CHECK (branch_id = (SELECT sync.my_branch()));
--> statement-breakpoint
CREATE POLICY terminal_own ON inventory.stock_levels TO pos_terminal
  USING (branch_id = (SELECT sync.my_branch())) WITH CHECK (branch_id = (SELECT sync.my_branch()));
--> statement-breakpoint
CREATE POLICY terminal_own ON payments.balances TO pos_terminal
  USING (business_id = (SELECT sync.my_business())) WITH CHECK (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_own ON payments.balance_movements TO pos_terminal
  USING (EXISTS (SELECT 1 FROM payments.balances b WHERE b.id = balance_id))
  WITH CHECK (EXISTS (SELECT 1 FROM payments.balances b WHERE b.id = balance_id));
--> statement-breakpoint
CREATE POLICY terminal_own ON sync.ledger TO pos_terminal
  USING (register_id = (SELECT sync.my_register())) WITH CHECK (register_id = (SELECT sync.my_register()));
--> statement-breakpoint
-- Terminals pull by (updated_at, id): without these, every pull would scan the whole catalog.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'business.businesses', 'business.branches', 'business.roles', 'business.role_permissions', 'business.permissions',
    'business.employees', 'business.employee_branches', 'business.settings', 'inventory.categories', 'inventory.products',
    'inventory.product_variants', 'payments.payment_methods', 'sales.cash_registers', 'auth.users', 'auth.user_identities'
  ] LOOP
    EXECUTE format('CREATE INDEX %I ON %s (updated_at, id)', replace(t, '.', '_') || '_pull_idx', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- A terminal checks, before pushing, that central's schema is at least its own.
GRANT SELECT ON public.pos_migrations, public.pos_central_migrations TO pos_terminal;
