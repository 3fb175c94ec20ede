-- Notification jobs at central: rows the central service's workers send from.
--
-- 1. A row whose worker died mid-send stays PROCESSING with its lease (locked_at); the dispatcher
--    finds those by this index once the lease is over and hands them out again.
CREATE INDEX notification_jobs_stale_idx ON communication.notification_jobs (locked_at)
  WHERE status = 'PROCESSING' AND deleted_at IS NULL;
--> statement-breakpoint
-- 2. The template a notification is sent with, in the order findTemplate (template-store.ts)
--    uses: the reader's language before anything else (a business's English-only template does
--    not replace the global Spanish one for a Spanish reader); within it the business's own
--    before the global one, the exact locale before the language's main one (es-CO falls back to
--    es-MX); then English. A job keeps the id it was given: a later version changes new jobs only.
CREATE FUNCTION communication.template_for(business uuid, template_code text, template_channel text, wanted_locale text)
RETURNS uuid LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT t.id FROM communication.notification_templates t
  WHERE t.code = template_code AND t.channel = template_channel AND t.deleted_at IS NULL
    AND (t.business_id IS NULL OR t.business_id = business)
    AND (t.locale = wanted_locale OR split_part(t.locale, '-', 1) = split_part(wanted_locale, '-', 1) OR t.locale = 'en')
  ORDER BY split_part(t.locale, '-', 1) = split_part(wanted_locale, '-', 1) DESC, t.business_id IS NOT NULL DESC,
           t.locale = wanted_locale DESC, t.locale IN ('es-MX', 'en') DESC, t.version DESC
  LIMIT 1
$$;
--> statement-breakpoint
-- 3. A terminal's request to e-mail a receipt (the fact receipt.email_requested) becomes one job.
--    A terminal's login cannot write notification jobs: this checks the sale is its business's
--    and completed, and the address has an e-mail's shape (the terminal checked it fully; this is
--    a forged fact's fence, not the validator). The same sale and address is one job.
CREATE FUNCTION sync.request_receipt_email(fact jsonb) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  sale_id uuid := (fact->>'saleId')::uuid;
  address text := lower(fact->>'email');
  business uuid;
  template uuid;
  added integer;
BEGIN
  SELECT s.business_id INTO business FROM sales.sales s
  WHERE s.id = sale_id AND s.business_id = sync.my_business() AND s.status = 'COMPLETED';
  IF business IS NULL THEN
    RAISE EXCEPTION 'no completed sale % in this terminal''s business to e-mail', sale_id USING ERRCODE = '42501';
  END IF;
  IF address IS NULL OR length(address) > 254 OR address !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
    RAISE EXCEPTION 'not an e-mail address: "%"', left(coalesce(address, ''), 80) USING ERRCODE = '22023';
  END IF;
  template := communication.template_for(business, 'sale.receipt', 'EMAIL', coalesce(fact->>'locale', 'es-MX'));
  IF template IS NULL THEN
    RAISE EXCEPTION 'central has no sale.receipt e-mail template; run pos central migrate' USING ERRCODE = '55000';
  END IF;
  INSERT INTO communication.notification_jobs (id, business_id, template_id, channel, recipient, payload, idempotency_key)
  VALUES ((fact->>'id')::uuid, business, template, 'EMAIL', address,
          jsonb_build_object('saleId', sale_id, 'locale', fact->>'locale', 'requestedBy', fact->>'by', 'requestedAt', fact->>'requestedAt'),
          'receipt-email:' || sale_id || ':' || address)
  ON CONFLICT (idempotency_key) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added > 0;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.request_receipt_email(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.request_receipt_email(jsonb) TO pos_terminal;
