-- The constitution, enforced by the database itself so no code path can get around it.
-- SQLSTATEs: PS001 delete refused, PS002 immutable record, PS003 guarded column changed.
-- Every function here runs on PostgreSQL 15 (central) and PGlite (PostgreSQL 18).

-- Soft delete only: DELETE and TRUNCATE are refused for the whole statement, so even a
-- DELETE that matches no row fails and a mistaken query is caught in development.
CREATE OR REPLACE FUNCTION public.pos_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'soft delete only: % on %.% is refused; set deleted_at instead',
    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'PS001';
END
$$;
--> statement-breakpoint

-- updated_at always says when the row last changed, whoever changed it.
CREATE OR REPLACE FUNCTION public.pos_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- Ledger rows (payments, refunds, stock and cash movements, the audit log) are never edited:
-- a mistake is answered with a compensating record.
CREATE OR REPLACE FUNCTION public.pos_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is immutable: record a compensating entry instead of changing row %',
    TG_TABLE_SCHEMA, TG_TABLE_NAME, OLD.id
    USING ERRCODE = 'PS002';
END
$$;
--> statement-breakpoint

-- Documents that receive an answer later (an invoice gets its fiscal id from the authority):
-- every column is frozen except the ones named as trigger arguments. A name prefixed with '?'
-- may be filled once, from NULL, and is frozen after that. Allow-listing means a column added
-- later is protected without anyone remembering to protect it.
CREATE OR REPLACE FUNCTION public.pos_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_row jsonb := to_jsonb(OLD);
  after_row jsonb := to_jsonb(NEW);
  free_columns text[] := ARRAY['updated_at'];
  once_columns text[] := ARRAY[]::text[];
  arg text;
  col text;
BEGIN
  FOREACH arg IN ARRAY TG_ARGV LOOP
    IF left(arg, 1) = '?' THEN
      once_columns := once_columns || substr(arg, 2);
    ELSE
      free_columns := free_columns || arg;
    END IF;
  END LOOP;
  FOR col IN SELECT jsonb_object_keys(before_row) LOOP
    CONTINUE WHEN col = ANY (free_columns);
    CONTINUE WHEN before_row -> col IS NOT DISTINCT FROM after_row -> col;
    CONTINUE WHEN col = ANY (once_columns) AND before_row -> col = 'null'::jsonb;
    RAISE EXCEPTION '%.%.% cannot change once written (row %); issue a correcting document instead',
      TG_TABLE_SCHEMA, TG_TABLE_NAME, col, OLD.id
      USING ERRCODE = 'PS003';
  END LOOP;
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- Every table in the seven schemas gets the delete refusal and the updated_at trigger. The
-- migrator calls this after each run that applied something, so tables added by later
-- migrations are covered too; the constitution test checks that none is missed.
CREATE OR REPLACE FUNCTION public.pos_install_table_guards() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid, n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname IN ('auth', 'business', 'communication', 'inventory', 'sales', 'payments', 'billing')
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t.oid AND tgname = 'pos_no_delete') THEN
      EXECUTE format('CREATE TRIGGER pos_no_delete BEFORE DELETE OR TRUNCATE ON %I.%I '
                     'FOR EACH STATEMENT EXECUTE FUNCTION public.pos_refuse_delete()', t.nspname, t.relname);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t.oid AND tgname = 'pos_touch_updated_at') THEN
      EXECUTE format('CREATE TRIGGER pos_touch_updated_at BEFORE UPDATE ON %I.%I '
                     'FOR EACH ROW EXECUTE FUNCTION public.pos_touch_updated_at()', t.nspname, t.relname);
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint

-- Row triggers fire in name order: pos_immutable and pos_guard_update run before
-- pos_touch_updated_at, so they judge the row as the caller sent it.
CREATE TRIGGER pos_immutable BEFORE UPDATE ON auth.audit_logs FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON payments.transactions FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON payments.refunds FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON payments.balance_movements FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON inventory.stock_movements FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON sales.cash_movements FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON sales.returns FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON sales.return_items FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON billing.invoice_items FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
-- A completed or voided sale and a closed shift are final.
CREATE TRIGGER pos_immutable BEFORE UPDATE ON sales.sales FOR EACH ROW
  WHEN (OLD.status IN ('COMPLETED', 'VOIDED')) EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON sales.shifts FOR EACH ROW
  WHEN (OLD.status = 'CLOSED') EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_guard_update BEFORE UPDATE ON billing.invoices FOR EACH ROW
  EXECUTE FUNCTION public.pos_guard_update('status', 'fiscal_data', '?fiscal_id_type', '?fiscal_id', '?issued_at');
--> statement-breakpoint
CREATE TRIGGER pos_guard_update BEFORE UPDATE ON billing.credit_notes FOR EACH ROW
  EXECUTE FUNCTION public.pos_guard_update('status', 'fiscal_data', '?fiscal_id_type', '?fiscal_id', '?issued_at');
--> statement-breakpoint
SELECT public.pos_install_table_guards();
