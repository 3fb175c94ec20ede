-- The last two things a terminal's login could reach beyond what a register needs:
--  * it could set its branch's stock levels to anything with a plain UPDATE. Stock now moves at
--    central only through sync.apply_sale_stock (the movements a sale or a return carries,
--    checked against that sale's or return's own lines) and sync.apply_stock_fact (receipts and
--    counts), both running as central's owner;
--  * it read every user row behind the business's employees: email, phone, KYC data. It now
--    reads users through sync.terminal_users, which gives only the columns a register's tables
--    need, and blank ones for staff never assigned to its branch (their rows must still exist
--    there: the pulled employees point at them).

-- The sale replay's single statement names both tables even when handed no stock (central hands
-- it none: sync.apply_sale_stock writes them), and PostgreSQL checks table rights when it plans:
-- so the grants stay, and these policies let no row of the login's own through. A raw INSERT or
-- UPDATE is refused with 42501 (the UPDATE's rows pass USING and fail WITH CHECK, so it is an
-- error, not a silent no-op), and so is INSERT … ON CONFLICT DO UPDATE.
CREATE POLICY terminal_no_direct_insert ON inventory.stock_levels AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (false);
--> statement-breakpoint
CREATE POLICY terminal_no_direct_update ON inventory.stock_levels AS RESTRICTIVE FOR UPDATE TO pos_terminal USING (true) WITH CHECK (false);
--> statement-breakpoint
CREATE POLICY terminal_no_direct_insert ON inventory.stock_movements AS RESTRICTIVE FOR INSERT TO pos_terminal WITH CHECK (false);
--> statement-breakpoint
-- A push takes the stock rows its batch moves in one order before applying it (a deadlock
-- between two registers of a branch becomes a short wait). Central takes them for the login,
-- only in its own branch: the login's FOR UPDATE would now meet the policy above.
CREATE FUNCTION sync.lock_stock_levels(variants uuid[]) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM 1 FROM inventory.stock_levels WHERE branch_id = sync.my_branch() AND variant_id = ANY(variants)
    ORDER BY variant_id FOR UPDATE;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.lock_stock_levels(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.lock_stock_levels(uuid[]) TO pos_terminal;
--> statement-breakpoint
-- The stock movements of sale.completed and return.recorded, after the sale or return itself
-- landed. Each must be exactly what one of that record's lines moves: a sale line's variant,
-- minus its quantity, under the key the register gives it; a restocked return line's variant,
-- plus its quantity. Its employee must hold sales.sell (sales.return, or the return's approver).
CREATE FUNCTION sync.apply_sale_stock(movements jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m record;
  r sales.returns;
  applied integer := 0;
  inserted boolean;
BEGIN
  IF movements IS NULL OR jsonb_typeof(movements) <> 'array' THEN
    RAISE EXCEPTION 'stock movements must be an array' USING ERRCODE = '22023';
  END IF;
  FOR m IN SELECT x.*, (e->>'stock_level_id')::uuid AS level_id, e AS raw
    FROM jsonb_array_elements(movements) e, jsonb_populate_record(NULL::inventory.stock_movements, e) x LOOP
    IF m.branch_id IS DISTINCT FROM sync.my_branch() THEN
      RAISE EXCEPTION 'a stock movement of another branch' USING ERRCODE = '42501';
    END IF;
    IF m.kind = 'SALE' AND m.reference_type = 'sale' THEN
      IF NOT EXISTS (SELECT 1 FROM sales.sales s JOIN sales.sale_items i ON i.sale_id = s.id
          WHERE s.id = m.reference_id AND s.register_id = sync.my_register() AND s.status = 'COMPLETED' AND i.deleted_at IS NULL
            AND i.variant_id = m.variant_id AND m.quantity = -i.quantity AND m.idempotency_key = s.id::text || ':stock:' || i.id::text) THEN
        RAISE EXCEPTION 'a stock movement that is not a line of this register''s completed sale' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(m.employee_id, 'sales.sell');
    ELSIF m.kind = 'RETURN' AND m.reference_type = 'return' THEN
      SELECT * INTO r FROM sales.returns WHERE id = m.reference_id AND register_id = sync.my_register();
      IF NOT FOUND OR m.employee_id IS DISTINCT FROM r.employee_id OR NOT EXISTS (
          SELECT 1 FROM sales.return_items ri JOIN sales.sale_items i ON i.id = ri.sale_item_id
          WHERE ri.return_id = r.id AND ri.restock AND ri.deleted_at IS NULL AND i.variant_id = m.variant_id
            AND m.quantity = ri.quantity AND m.idempotency_key = r.id::text || ':stock:' || i.id::text) THEN
        RAISE EXCEPTION 'a stock movement that is not a restocked line of this register''s return' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(m.employee_id, 'sales.return', r.approved_by);
    ELSE
      RAISE EXCEPTION 'a register moves stock only by a sale or a return (kind %)', m.kind USING ERRCODE = '42501';
    END IF;
    INSERT INTO inventory.stock_movements SELECT x.* FROM jsonb_populate_record(NULL::inventory.stock_movements, m.raw) x
      ON CONFLICT (idempotency_key) DO NOTHING RETURNING true INTO inserted;
    IF inserted THEN
      INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity) VALUES (m.level_id, m.variant_id, m.branch_id, m.quantity)
        ON CONFLICT (variant_id, branch_id) DO UPDATE
        SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1;
      applied := applied + 1;
    END IF;
    inserted := NULL;
  END LOOP;
  RETURN applied;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_sale_stock(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_sale_stock(jsonb) TO pos_terminal;
--> statement-breakpoint
-- What a register gets of a user: its name, language and preferences for staff ever assigned to
-- its branch (as for PIN identities, a removed assignment still counts, so the row's later
-- changes keep coming down), a blank row for the business's other staff, nothing else. The view
-- runs as its owner, past auth.users' row-level security, so its WHERE is the whole fence.
CREATE VIEW sync.terminal_users WITH (security_barrier) AS
SELECT u.id,
  CASE WHEN here THEN u.display_name ELSE '' END AS display_name,
  CASE WHEN here THEN u.locale ELSE 'es-MX' END AS locale,
  CASE WHEN here THEN u.kyc_level ELSE 0::smallint END AS kyc_level,
  CASE WHEN here THEN u.preferences ELSE '{}'::jsonb END AS preferences,
  u.created_at, u.updated_at, u.deleted_at
FROM auth.users u
CROSS JOIN LATERAL (SELECT EXISTS (
  SELECT 1 FROM business.employees e JOIN business.employee_branches eb ON eb.employee_id = e.id
  WHERE e.user_id = u.id AND e.business_id = sync.my_business() AND eb.branch_id = sync.my_branch()) AS here) b
WHERE EXISTS (SELECT 1 FROM business.employees e WHERE e.user_id = u.id AND e.business_id = sync.my_business());
--> statement-breakpoint
REVOKE SELECT ON auth.users FROM pos_terminal;
--> statement-breakpoint
GRANT SELECT ON sync.terminal_users TO pos_terminal;
--> statement-breakpoint
-- A colleague assigned to this branch after their user row last changed would stay blank
-- behind every terminal's cursor: central touches the row when an assignment changes.
CREATE FUNCTION sync.touch_assigned_user() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE auth.users u SET updated_at = now() FROM business.employees e WHERE e.id = NEW.employee_id AND u.id = e.user_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sync_touch_assigned_user AFTER INSERT OR UPDATE ON business.employee_branches
  FOR EACH ROW EXECUTE FUNCTION sync.touch_assigned_user();
