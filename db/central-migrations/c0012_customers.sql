-- The customers a register saves for their invoices (customers.customer_saved, the whole row
-- after the change) reach central like catalog edits: through a SECURITY DEFINER function that
-- checks the fact's author may sell in this business (sales.sell, in central's own role tables),
-- that the row is this business's, and keeps the newer version. A terminal's login gets no
-- grant on the table itself: it neither reads nor writes other registers' customers.
--
-- contact is the register's sealed bytes (AES-256-GCM under that register's PII key, bound to
-- the row) and email_hash its keyed hash under the same key: central holds no register's key,
-- so it can open neither and keeps both exactly as they came.
ALTER TABLE sales.customers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE FUNCTION sync.apply_customer(item jsonb, author uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid := sync.my_business();
  holder uuid;
  assignments text;
  done boolean;
BEGIN
  PERFORM sync.require_permission(author, 'sales.sell');
  IF business IS NULL OR (item->>'business_id')::uuid IS DISTINCT FROM business THEN
    RAISE EXCEPTION 'a customer of another business' USING ERRCODE = '42501';
  END IF;
  -- Two registers may each have created the same RFC while apart: the second is set aside, named
  -- by ids only (an RFC is personal data), for someone to merge; its invoices keep its own id.
  IF (item->>'deleted_at') IS NULL THEN
    SELECT id INTO holder FROM sales.customers
    WHERE business_id = business AND tax_id = item->>'tax_id' AND deleted_at IS NULL AND id <> (item->>'id')::uuid;
    IF holder IS NOT NULL THEN
      RAISE EXCEPTION 'customer % has the RFC of customer %, which another register saved first', item->>'id', holder
        USING ERRCODE = '23505';
    END IF;
  END IF;
  SELECT string_agg(format('%I = EXCLUDED.%I', attname, attname), ', ' ORDER BY attnum) INTO assignments
  FROM pg_attribute WHERE attrelid = 'sales.customers'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
    AND attname NOT IN ('id', 'created_at');
  -- The row already there must be this business's too: an id is not proof of ownership.
  EXECUTE format('INSERT INTO sales.customers AS t SELECT * FROM jsonb_populate_record(NULL::sales.customers, $1) ON CONFLICT (id) DO UPDATE SET %s
    WHERE t.version < EXCLUDED.version AND t.business_id = $2 RETURNING true', assignments)
    INTO done USING item, business;
  RETURN coalesce(done, false);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.apply_customer(jsonb, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.apply_customer(jsonb, uuid) TO pos_terminal;
