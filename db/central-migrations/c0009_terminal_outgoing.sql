-- A register's back office shows what central could not send for its business (an e-mailed
-- receipt refused by the customer's server, a template with a mistake, an SMS the provider
-- turned down) and can ask for it to be sent again.
--
-- 1. One way of masking an address, for every reader: `pos central jobs` and the rows that go
--    down to registers. ana.lopez@ejemplo.mx → a***@ejemplo.mx; +525512345678 → +52******5678.
CREATE FUNCTION communication.mask_recipient(recipient text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE
    WHEN strpos(recipient, '@') > 1 THEN left(recipient, 1) || '***' || substr(recipient, strpos(recipient, '@'))
    WHEN recipient ~ '^\+?[0-9]{6,}$' THEN left(recipient, 3) || repeat('*', length(recipient) - 7) || right(recipient, 4)
    ELSE left(recipient, 4) || '…'
  END
$$;
--> statement-breakpoint
-- Providers quote the address they refused: every address and phone number in a text, masked.
CREATE FUNCTION communication.mask_addresses(message text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  found text;
  masked text := message;
BEGIN
  FOR found IN SELECT DISTINCT m[1] FROM regexp_matches(message, '([^[:space:]<>«»"''@]+@[^[:space:]<>«»"'']+|\+[0-9]{7,15})', 'g') AS m
  LOOP
    masked := replace(masked, found, communication.mask_recipient(found));
  END LOOP;
  RETURN masked;
END
$$;
--> statement-breakpoint
-- 2. Rows come down by (updated_at, id) like the other pulled tables, and central stamps their
--    inserts with its own clock. A pull reads only its business's rows changed since its cursor.
CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON communication.notification_templates
  FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival();
--> statement-breakpoint
CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON communication.notification_jobs
  FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival();
--> statement-breakpoint
CREATE INDEX notification_jobs_business_changes_idx ON communication.notification_jobs (business_id, updated_at, id);
--> statement-breakpoint
-- The templates a business's rows point at (the platform's and its own): a register's copy of a
-- job needs its template's row, and the back office names a job by the template's code.
CREATE VIEW sync.terminal_notification_templates WITH (security_barrier) AS
SELECT t.* FROM communication.notification_templates t
WHERE t.business_id IS NULL OR t.business_id = sync.my_business();
--> statement-breakpoint
GRANT SELECT ON sync.terminal_notification_templates TO pos_terminal;
--> statement-breakpoint
-- Only the jobs that ran into trouble: failed, or waiting with a reason, or tried more than once.
-- Once in, a row stays in (a retried job is tried again, and its attempts pass one), so the
-- register learns how it ended. Addresses masked, the payload (a sale's id, an alert's figures)
-- left at central, and no user: the register keeps only staff of its own business.
CREATE VIEW sync.terminal_notification_jobs WITH (security_barrier) AS
SELECT j.id, j.business_id, NULL::uuid AS user_id, j.template_id, j.channel, communication.mask_recipient(j.recipient) AS recipient,
       '{}'::jsonb AS payload, j.status, j.attempts, j.run_at, NULL::timestamptz AS locked_at,
       communication.mask_addresses(j.last_error) AS last_error, j.idempotency_key, j.created_at, j.updated_at, j.deleted_at
FROM communication.notification_jobs j
WHERE j.business_id = sync.my_business() AND j.channel <> 'IN_APP'
  AND (j.status = 'FAILED' OR j.last_error IS NOT NULL OR j.attempts > 1);
--> statement-breakpoint
GRANT SELECT ON sync.terminal_notification_jobs TO pos_terminal;
--> statement-breakpoint
-- 3. A person's retry, asked for at a register (the fact notification.retry_requested): the row
--    goes back to PENDING only if it is still the failure that person saw, and the dispatcher
--    hands it to the workers again. Only holders of sync.manage at central may ask.
CREATE FUNCTION sync.retry_notification(fact jsonb) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  reopened integer;
BEGIN
  PERFORM sync.require_permission((fact->>'by')::uuid, 'sync.manage');
  IF NOT EXISTS (SELECT 1 FROM communication.notification_jobs
                 WHERE id = (fact->>'jobId')::uuid AND business_id = sync.my_business()) THEN
    RAISE EXCEPTION 'no notification % in this terminal''s business', fact->>'jobId' USING ERRCODE = '42501';
  END IF;
  UPDATE communication.notification_jobs SET status = 'PENDING', last_error = NULL, run_at = now(), updated_at = now()
  WHERE id = (fact->>'jobId')::uuid AND status = 'FAILED' AND deleted_at IS NULL
    AND updated_at < (fact->>'failedAt')::timestamptz + interval '1 millisecond';
  GET DIAGNOSTICS reopened = ROW_COUNT;
  RETURN reopened > 0;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.retry_notification(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.retry_notification(jsonb) TO pos_terminal;
