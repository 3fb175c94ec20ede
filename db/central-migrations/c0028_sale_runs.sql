-- A push applies a run of plain completed sales as a set (sync/central-sale-runs.ts): their
-- stock movements arrive together, and are checked and written as one set here, with the same
-- checks and the same refusals as sync.apply_sale_stock makes one movement at a time: this
-- branch's, a sale's movement only, each exactly one line of this register's completed sale
-- under the key the register gives it, each employee holding sales.sell. Any refusal fails the
-- whole call; the push then splits the run until the one fact at fault stands alone.
CREATE FUNCTION sync.apply_sales_stock(movements jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  branch uuid := sync.my_branch();
  register uuid := sync.my_register();
  -- Read once: each check below walks these rows, not the JSON again.
  given inventory.stock_movements[];
  level_ids uuid[];
  refused text;
  employee uuid;
  applied integer;
BEGIN
  IF movements IS NULL OR jsonb_typeof(movements) <> 'array' THEN
    RAISE EXCEPTION 'stock movements must be an array' USING ERRCODE = '22023';
  END IF;
  SELECT array_agg(x ORDER BY a.ord), array_agg((a.e->>'stock_level_id')::uuid ORDER BY a.ord) INTO given, level_ids
    FROM jsonb_array_elements(movements) WITH ORDINALITY AS a(e, ord), jsonb_populate_record(NULL::inventory.stock_movements, a.e) x;
  SELECT CASE
      WHEN m.branch_id IS DISTINCT FROM branch THEN 'a stock movement of another branch'
      WHEN m.kind IS DISTINCT FROM 'SALE' OR m.reference_type IS DISTINCT FROM 'sale'
        THEN format('a register moves stock only by a sale or a return (kind %s)', m.kind)
      ELSE 'a stock movement that is not a line of this register''s completed sale' END
    INTO refused
    FROM unnest(given) m
    WHERE m.branch_id IS DISTINCT FROM branch OR m.kind IS DISTINCT FROM 'SALE' OR m.reference_type IS DISTINCT FROM 'sale'
      OR NOT EXISTS (SELECT 1 FROM sales.sales s JOIN sales.sale_items i ON i.sale_id = s.id
        WHERE s.id = m.reference_id AND s.register_id = register AND s.status = 'COMPLETED' AND i.deleted_at IS NULL
          AND i.variant_id = m.variant_id AND m.quantity = -i.quantity AND m.idempotency_key = s.id::text || ':stock:' || i.id::text)
    LIMIT 1;
  IF refused IS NOT NULL THEN
    RAISE EXCEPTION '%', refused USING ERRCODE = '42501';
  END IF;
  FOR employee IN SELECT DISTINCT m.employee_id FROM unnest(given) m LOOP
    PERFORM sync.require_permission(employee, 'sales.sell');
  END LOOP;
  WITH ins AS (
    INSERT INTO inventory.stock_movements SELECT m.* FROM unnest(given) m
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING variant_id, branch_id, quantity
  ), first_level AS (
    -- A level a movement creates takes the id the register gave it (the first such movement's).
    SELECT DISTINCT ON ((given[i]).variant_id) (given[i]).variant_id AS variant_id, level_ids[i] AS id
    FROM generate_subscripts(given, 1) AS i
    ORDER BY (given[i]).variant_id, i
  ), lvl AS (
    INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity)
    SELECT f.id, ins.variant_id, ins.branch_id, sum(ins.quantity)
    FROM ins JOIN first_level f ON f.variant_id = ins.variant_id
    GROUP BY f.id, ins.variant_id, ins.branch_id
    ORDER BY ins.variant_id
    ON CONFLICT (variant_id, branch_id) DO UPDATE
      SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ins) + 0 * (SELECT count(*) FROM lvl) INTO applied;
  RETURN applied;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_sales_stock(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_sales_stock(jsonb) TO pos_terminal;
--> statement-breakpoint
-- The references of a sale, its lines and its payments were checked by sync.owns(), a SECURITY
-- DEFINER call per column per row: about 20 µs each, two dozen per sale, most of a push's time.
-- Each is now a plain subquery over a table the login may read, whose own reading policy is the
-- same fence owns() drew (employees, products, variants and payment methods of the login's
-- business; shifts and sales of its register), so PostgreSQL checks them as index probes. A
-- balance stays with owns(): the login may not read balances. A NULL reference passes, as before.
DROP POLICY terminal_references ON sales.sales;
--> statement-breakpoint
DROP POLICY terminal_references_update ON sales.sales;
--> statement-breakpoint
DROP POLICY terminal_references ON sales.sale_items;
--> statement-breakpoint
DROP POLICY terminal_references_update ON sales.sale_items;
--> statement-breakpoint
DROP POLICY terminal_references ON payments.transactions;
--> statement-breakpoint
DROP POLICY terminal_references_update ON payments.transactions;
--> statement-breakpoint
DO $$
DECLARE
  checks CONSTANT jsonb := jsonb_build_object(
    'sales.sales', $c$
      (sales.shift_id IS NULL OR EXISTS (SELECT 1 FROM sales.shifts x WHERE x.id = sales.shift_id))
      AND (sales.employee_id IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = sales.employee_id))
      AND (sales.voided_by IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = sales.voided_by))
      AND (sales.sale_discount_approved_by IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = sales.sale_discount_approved_by))$c$,
    'sales.sale_items', $c$
      EXISTS (SELECT 1 FROM sales.sales x WHERE x.id = sale_items.sale_id)
      AND (sale_items.variant_id IS NULL OR EXISTS (SELECT 1 FROM inventory.product_variants x WHERE x.id = sale_items.variant_id))
      AND (sale_items.product_id IS NULL OR EXISTS (SELECT 1 FROM inventory.products x WHERE x.id = sale_items.product_id))
      AND (sale_items.discount_approved_by IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = sale_items.discount_approved_by))
      AND (sale_items.price_overridden_by IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = sale_items.price_overridden_by))$c$,
    'payments.transactions', $c$
      (transactions.sale_id IS NULL OR EXISTS (SELECT 1 FROM sales.sales x WHERE x.id = transactions.sale_id))
      AND (transactions.shift_id IS NULL OR EXISTS (SELECT 1 FROM sales.shifts x WHERE x.id = transactions.shift_id))
      AND (transactions.employee_id IS NULL OR EXISTS (SELECT 1 FROM business.employees x WHERE x.id = transactions.employee_id))
      AND (transactions.payment_method_id IS NULL OR EXISTS (SELECT 1 FROM payments.payment_methods x WHERE x.id = transactions.payment_method_id))
      AND (transactions.balance_id IS NULL OR sync.owns('balance', transactions.balance_id))$c$);
  t text;
BEGIN
  FOR t IN SELECT jsonb_object_keys(checks) LOOP
    EXECUTE format('CREATE POLICY terminal_references ON %s AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (%s)', t, checks->>t);
    EXECUTE format('CREATE POLICY terminal_references_update ON %s AS RESTRICTIVE FOR UPDATE TO pos_terminal USING (true) WITH CHECK (%s)', t, checks->>t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The trigger that keeps a final sale's lines final read the sale as the login, through its
-- row-level security (three more SECURITY DEFINER calls per line written: most of a line's cost).
-- It reads one status by primary key and writes nothing: at central it reads as the owner.
ALTER FUNCTION public.pos_refuse_final_sale_lines() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
