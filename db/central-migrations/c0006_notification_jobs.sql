-- Notification jobs at central: rows the central service's workers send from.
--
-- 1. A row whose worker died mid-send stays PROCESSING with its lease (locked_at); the dispatcher
--    finds those by this index once the lease is over and hands them out again.
CREATE INDEX notification_jobs_stale_idx ON communication.notification_jobs (locked_at)
  WHERE status = 'PROCESSING' AND deleted_at IS NULL;
--> statement-breakpoint
-- 2. The template a notification is sent with, the one rule for central's SQL and its code
--    (findTemplate in template-store.ts calls this): the reader's language before anything else
--    (a business's English-only template does not replace the global Spanish one for a Spanish
--    reader), English as the last resort; within a language the business's own before the global
--    one, then the exact locale, the language's main locale (es-CO falls back to es-MX), the bare
--    language, any other of it. A job keeps the id it was given: a later version changes new jobs.
CREATE FUNCTION communication.template_for(business uuid, template_code text, template_channel text, wanted_locale text)
RETURNS uuid LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  WITH wanted AS (
    SELECT lower(wanted_locale) AS locale, split_part(lower(wanted_locale), '-', 1) AS language
  ), candidate AS (
    SELECT t.id, t.version, t.business_id IS NULL AS global, lower(t.locale) AS locale, split_part(lower(t.locale), '-', 1) AS language
    FROM communication.notification_templates t
    WHERE t.code = template_code AND t.channel = template_channel AND t.deleted_at IS NULL
      AND (t.business_id IS NULL OR t.business_id = business)
  ), ranked AS (
    SELECT c.id, c.version, c.global, c.locale, c.language = w.language AS readable,
           CASE WHEN c.language = w.language THEN w.locale ELSE 'en' END AS goal,
           c.language AS language
    FROM candidate c, wanted w
    WHERE c.language = w.language OR c.language = 'en'
  )
  SELECT id FROM ranked
  ORDER BY readable DESC, global,
           CASE WHEN locale = goal THEN 0
                WHEN locale = CASE language WHEN 'es' THEN 'es-mx' WHEN 'en' THEN 'en' END THEN 1
                WHEN locale = language THEN 2
                ELSE 3 END,
           locale, version DESC
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
