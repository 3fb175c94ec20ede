-- Catalog conflicts: two registers edited the same product (or variant) from the same version.
-- The newer version wins at central (sync.upsert_catalog_row); the edit that arrived second
-- carries a version central already holds, and used to be dropped without a word and then
-- overwritten at its register by the pull. Now central keeps it: the refused row as the register
-- pushed it ("ours", to that register), central's row at that moment ("theirs"), who made the
-- edit and where, so a manager can see both and keep one. Both tables are evidence: rows are
-- only ever added. A resolution is a row of its own, written once per conflict.
CREATE TABLE sync.catalog_conflicts (
  id uuid PRIMARY KEY NOT NULL DEFAULT gen_random_uuid(),
  business_id uuid NOT NULL REFERENCES business.businesses (id),
  register_id uuid NOT NULL REFERENCES sales.cash_registers (id),
  table_name text NOT NULL CHECK (table_name IN ('inventory.products', 'inventory.product_variants')),
  row_id uuid NOT NULL,
  ours jsonb NOT NULL CHECK (jsonb_typeof(ours) = 'object'),
  theirs jsonb NOT NULL CHECK (jsonb_typeof(theirs) = 'object'),
  author_id uuid REFERENCES business.employees (id),
  -- The clock, not the transaction's start: one push refuses several edits in one transaction,
  -- and they are listed in the order they were made.
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
--> statement-breakpoint
-- Leads with business_id: also the foreign key's index.
CREATE INDEX catalog_conflicts_business_idx ON sync.catalog_conflicts (business_id, created_at);
--> statement-breakpoint
CREATE INDEX catalog_conflicts_row_idx ON sync.catalog_conflicts (register_id, table_name, row_id);
--> statement-breakpoint
CREATE INDEX catalog_conflicts_author_idx ON sync.catalog_conflicts (author_id);
--> statement-breakpoint
-- OURS: a manager kept the refused edit (their register saves it again, as a normal edit that
-- wins); THEIRS: central's value stands; SUPERSEDED: the same register's later edit of the row
-- was refused too, and that newer conflict carries what it meant.
CREATE TABLE sync.catalog_conflict_resolutions (
  id uuid PRIMARY KEY NOT NULL DEFAULT gen_random_uuid(),
  conflict_id uuid NOT NULL UNIQUE REFERENCES sync.catalog_conflicts (id),
  choice text NOT NULL CHECK (choice IN ('OURS', 'THEIRS', 'SUPERSEDED')),
  resolved_by uuid REFERENCES business.employees (id),
  register_id uuid REFERENCES sales.cash_registers (id),
  idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  resolved_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((choice = 'SUPERSEDED') = (resolved_by IS NULL)),
  CHECK ((choice = 'SUPERSEDED') = (idempotency_key IS NULL))
);
--> statement-breakpoint
CREATE INDEX catalog_conflict_resolutions_by_idx ON sync.catalog_conflict_resolutions (resolved_by);
--> statement-breakpoint
CREATE INDEX catalog_conflict_resolutions_register_idx ON sync.catalog_conflict_resolutions (register_id);
--> statement-breakpoint
CREATE TRIGGER catalog_conflicts_immutable BEFORE UPDATE OR DELETE ON sync.catalog_conflicts
  FOR EACH ROW EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
CREATE TRIGGER catalog_conflicts_no_truncate BEFORE TRUNCATE ON sync.catalog_conflicts
  FOR EACH STATEMENT EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
CREATE TRIGGER catalog_conflict_resolutions_immutable BEFORE UPDATE OR DELETE ON sync.catalog_conflict_resolutions
  FOR EACH ROW EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
CREATE TRIGGER catalog_conflict_resolutions_no_truncate BEFORE TRUNCATE ON sync.catalog_conflict_resolutions
  FOR EACH STATEMENT EXECUTE FUNCTION sync.refuse_change();
--> statement-breakpoint
-- A terminal's login reaches them only through the functions below, which read its own business's.
REVOKE ALL ON sync.catalog_conflicts, sync.catalog_conflict_resolutions FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE sync.catalog_conflicts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sync.catalog_conflict_resolutions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- What an edit meant, to compare two rows by: the row as its table reads it (a price of 35 and
-- one of 35.0000 are the same), less what says when and how often it was written.
CREATE FUNCTION sync.catalog_content(tbl regclass, item jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  normal jsonb;
BEGIN
  EXECUTE format('SELECT to_jsonb(r) FROM jsonb_populate_record(NULL::%s, $1) r', tbl) INTO normal USING item;
  RETURN normal - ARRAY['version', 'created_at', 'updated_at'];
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.catalog_content(regclass, jsonb) FROM PUBLIC;
--> statement-breakpoint
-- catalog.product_saved / catalog.variant_saved, as before (the author must hold catalog.manage;
-- the newer version wins), and now an edit refused because central's row already holds its
-- version or a newer one is kept as a conflict, unless central's row says the same thing (the
-- same edit arriving by another road, such as a stock fact carrying the item). A register's
-- older open conflict on the same row gives way to its newer one: that edit was made on top.
CREATE OR REPLACE FUNCTION sync.apply_catalog_row(tbl regclass, item jsonb, author uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid := sync.my_business();
  register uuid := sync.my_register();
  target uuid := (item->>'id')::uuid;
  held jsonb;
  recorded uuid;
BEGIN
  PERFORM sync.require_permission(author, 'catalog.manage');
  IF sync.upsert_catalog_row(tbl, item) THEN
    RETURN true;
  END IF;
  -- Locked: two registers' refused edits of one row are recorded against the same central row.
  EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE t.id = $1 AND t.business_id = $2 FOR UPDATE', tbl)
    INTO held USING target, business;
  IF held IS NULL OR register IS NULL
     OR coalesce((held->>'version')::bigint, 0) < coalesce((item->>'version')::bigint, 0)
     OR sync.catalog_content(tbl, held) = sync.catalog_content(tbl, item) THEN
    RETURN false;
  END IF;
  INSERT INTO sync.catalog_conflicts (business_id, register_id, table_name, row_id, ours, theirs, author_id)
  VALUES (business, register, tbl::text, target, item, held, author)
  RETURNING id INTO recorded;
  INSERT INTO sync.catalog_conflict_resolutions (conflict_id, choice, register_id)
  SELECT c.id, 'SUPERSEDED', register FROM sync.catalog_conflicts c
  WHERE c.register_id = register AND c.table_name = tbl::text AND c.row_id = target AND c.id <> recorded
    AND NOT EXISTS (SELECT 1 FROM sync.catalog_conflict_resolutions r WHERE r.conflict_id = c.id)
  ON CONFLICT (conflict_id) DO NOTHING;
  RETURN false;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_catalog_row(regclass, jsonb, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_catalog_row(regclass, jsonb, uuid) TO pos_terminal;
--> statement-breakpoint
-- A catalog row with its numbers as text (a price is never a floating-point number on its way
-- to a register), for the view below.
CREATE FUNCTION sync.catalog_text(item jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'number' THEN to_jsonb(e.value #>> '{}') ELSE e.value END), '{}'::jsonb)
  FROM jsonb_each(item) e
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.catalog_text(jsonb) FROM PUBLIC;
--> statement-breakpoint
-- One conflict as a register shows it: the row as its register pushed it and as central held it
-- then, central's row now, its product's name, where and by whom it was made, and how it was
-- settled (null while open).
CREATE FUNCTION sync.catalog_conflict_view(c sync.catalog_conflicts) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  now_held jsonb;
  product_id uuid;
BEGIN
  IF c.table_name = 'inventory.products' THEN
    SELECT to_jsonb(p) INTO now_held FROM inventory.products p WHERE p.id = c.row_id AND p.business_id = c.business_id;
    product_id := c.row_id;
  ELSE
    SELECT to_jsonb(v) INTO now_held FROM inventory.product_variants v WHERE v.id = c.row_id AND v.business_id = c.business_id;
    product_id := coalesce((now_held->>'product_id')::uuid, (c.ours->>'product_id')::uuid);
  END IF;
  RETURN jsonb_build_object(
    'id', c.id,
    'table', c.table_name,
    'rowId', c.row_id,
    'ours', sync.catalog_text(c.ours),
    'theirsThen', sync.catalog_text(c.theirs),
    'theirs', sync.catalog_text(coalesce(now_held, c.theirs)),
    -- The names of the categories either side puts a product in.
    'categories', (SELECT coalesce(jsonb_object_agg(k.id, k.name), '{}'::jsonb) FROM inventory.categories k
                   WHERE k.business_id = c.business_id
                     AND k.id::text IN (c.ours->>'category_id', c.theirs->>'category_id', now_held->>'category_id')),
    'product', (SELECT jsonb_build_object('id', p.id, 'name', p.name) FROM inventory.products p
                WHERE p.id = product_id AND p.business_id = c.business_id),
    'register', (SELECT jsonb_build_object('id', r.id, 'code', r.code, 'name', r.name) FROM sales.cash_registers r WHERE r.id = c.register_id),
    'author', (SELECT jsonb_build_object('id', e.id, 'name', e.display_name) FROM business.employees e WHERE e.id = c.author_id),
    'createdAt', c.created_at,
    'resolution', (SELECT jsonb_build_object('choice', r.choice, 'resolvedAt', r.resolved_at, 'idempotencyKey', r.idempotency_key,
                     'by', (SELECT jsonb_build_object('id', e.id, 'name', e.display_name) FROM business.employees e WHERE e.id = r.resolved_by),
                     'register', (SELECT jsonb_build_object('id', g.id, 'code', g.code, 'name', g.name) FROM sales.cash_registers g
                                  WHERE g.id = r.register_id))
                   FROM sync.catalog_conflict_resolutions r WHERE r.conflict_id = c.id));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.catalog_conflict_view(sync.catalog_conflicts) FROM PUBLIC;
--> statement-breakpoint
-- The calling register's business's conflicts nobody has settled yet, oldest first (at most 200).
CREATE FUNCTION sync.open_catalog_conflicts() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF sync.my_register() IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  RETURN coalesce((
    SELECT jsonb_agg(sync.catalog_conflict_view(c) ORDER BY c.created_at, c.id)
    FROM (SELECT * FROM sync.catalog_conflicts c
          WHERE c.business_id = sync.my_business()
            AND NOT EXISTS (SELECT 1 FROM sync.catalog_conflict_resolutions r WHERE r.conflict_id = c.id)
          ORDER BY c.created_at, c.id LIMIT 200) c), '[]'::jsonb);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.open_catalog_conflicts() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.open_catalog_conflicts() TO pos_terminal;
--> statement-breakpoint
-- One conflict of the calling register's business, settled or not; null for any other.
CREATE FUNCTION sync.catalog_conflict(conflict uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF sync.my_register() IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  RETURN (SELECT sync.catalog_conflict_view(c) FROM sync.catalog_conflicts c WHERE c.id = conflict AND c.business_id = sync.my_business());
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.catalog_conflict(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.catalog_conflict(uuid) TO pos_terminal;
--> statement-breakpoint
-- A manager keeps one side: `employee` must hold catalog.manage in this business on central. Keeping
-- OURS is the register's own doing first (it saves the refused values again, a normal edit that
-- wins); this only writes down the choice. Answers {outcome: RESOLVED} with the resolution (again,
-- for the same idempotency key and choice), ALREADY_RESOLVED with the one that stands, or UNKNOWN
-- for a conflict that is not this business's.
CREATE FUNCTION sync.resolve_catalog_conflict(conflict uuid, keep text, employee uuid, request_key text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  register uuid := sync.my_register();
  asked text := coalesce(request_key, gen_random_uuid()::text);
  found_id uuid;
  standing sync.catalog_conflict_resolutions;
BEGIN
  IF register IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  IF keep IS NULL OR keep NOT IN ('OURS', 'THEIRS') THEN
    RAISE EXCEPTION 'a conflict is settled by keeping OURS or THEIRS, not %', coalesce(keep, 'null') USING ERRCODE = '22023';
  END IF;
  PERFORM sync.require_permission(employee, 'catalog.manage');
  SELECT c.id INTO found_id FROM sync.catalog_conflicts c WHERE c.id = conflict AND c.business_id = sync.my_business();
  IF found_id IS NULL THEN
    RETURN jsonb_build_object('outcome', 'UNKNOWN');
  END IF;
  INSERT INTO sync.catalog_conflict_resolutions (conflict_id, choice, resolved_by, register_id, idempotency_key)
  VALUES (found_id, keep, employee, register, asked)
  ON CONFLICT (conflict_id) DO NOTHING;
  SELECT * INTO standing FROM sync.catalog_conflict_resolutions r WHERE r.conflict_id = found_id;
  RETURN jsonb_build_object(
    'outcome', CASE WHEN standing.idempotency_key = asked AND standing.choice = keep THEN 'RESOLVED' ELSE 'ALREADY_RESOLVED' END,
    'conflict', (SELECT sync.catalog_conflict_view(c) FROM sync.catalog_conflicts c WHERE c.id = found_id));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.resolve_catalog_conflict(uuid, text, uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.resolve_catalog_conflict(uuid, text, uuid, text) TO pos_terminal;
