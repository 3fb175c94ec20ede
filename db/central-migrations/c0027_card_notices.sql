-- Card providers' webhooks, received by central's service (POST /webhooks/cards/{provider}/
-- {business}) once their signature checks against the business's webhook secret held by central.
-- A notice carries no state, only "charge X changed": the register whose charge it is reads it
-- here (sync.card_notices, below, over its own login) and asks its provider how the charge
-- stands, so a notice that arrives twice, late or out of order can never move a charge by itself.
-- The same notice delivered again (a provider's retry; every Clip notice about one intent) is one
-- row, whose last_received_at moves: a register that already handled the first delivery asks once more.
CREATE TABLE sync.card_notices (
  id uuid PRIMARY KEY NOT NULL DEFAULT gen_random_uuid(),
  business_id uuid NOT NULL REFERENCES business.businesses (id),
  provider text NOT NULL CHECK (provider IN ('mercadopago', 'clip')),
  notice_id text NOT NULL CHECK (length(notice_id) BETWEEN 1 AND 200),
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
  deliveries integer NOT NULL DEFAULT 1 CHECK (deliveries >= 1),
  received_at timestamptz NOT NULL DEFAULT now(),
  last_received_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Leads with business_id: also the foreign key's index.
CREATE UNIQUE INDEX card_notices_notice_key ON sync.card_notices (business_id, provider, notice_id);
--> statement-breakpoint
CREATE INDEX card_notices_reference_idx ON sync.card_notices (business_id, reference);
--> statement-breakpoint
REVOKE ALL ON sync.card_notices FROM PUBLIC;
--> statement-breakpoint
-- What central heard of the register's open charges: for each of the references asked about (at
-- most 50, the provider's ids of its charges) that a notice named, when one last arrived. Only
-- the calling terminal's business's notices; a reference of another business answers nothing.
CREATE FUNCTION sync.card_notices(refs text[]) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF sync.my_register() IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  IF refs IS NULL OR cardinality(refs) > 50 THEN
    RAISE EXCEPTION 'ask about 0 to 50 references at a time' USING ERRCODE = '22023';
  END IF;
  RETURN coalesce((
    SELECT jsonb_agg(jsonb_build_object('reference', n.reference, 'provider', n.provider, 'at', n.at) ORDER BY n.reference)
    FROM (SELECT c.reference, c.provider, max(c.last_received_at) AS at FROM sync.card_notices c
          WHERE c.business_id = sync.my_business() AND c.reference = ANY (refs)
          GROUP BY c.reference, c.provider) n), '[]'::jsonb);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.card_notices(text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.card_notices(text[]) TO pos_terminal;
