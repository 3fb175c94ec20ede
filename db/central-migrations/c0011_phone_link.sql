-- A manager's phone, subscribed to Web Push alerts: the person asks at a register (the fact
-- push.link_requested), and central e-mails them a link their phone opens to subscribe. The row
-- holds ids only: the link and its token are made by the worker when it sends the e-mail, so
-- nothing that opens a subscription is ever stored.
--
-- The fact must be this register's (its business and branch) and name one of the business's
-- active employees with the user the fact says; a person without an e-mail address gets
-- nothing (true: there is nothing to retry). One e-mail per person a minute, whichever
-- register asked: false when one already went out in the last minute.
CREATE FUNCTION sync.request_phone_link(fact jsonb) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  business uuid := sync.my_business();
  employee uuid := (fact->>'employeeId')::uuid;
  person uuid := (fact->>'userId')::uuid;
  requested timestamptz := (fact->>'requestedAt')::timestamptz;
  address text;
  language text;
  template uuid;
  added integer;
BEGIN
  IF business IS NULL OR (fact->>'businessId')::uuid IS DISTINCT FROM business
     OR (fact->>'branchId')::uuid IS DISTINCT FROM sync.my_branch() THEN
    RAISE EXCEPTION 'a phone link asked for in another business or branch (business %, branch %)', fact->>'businessId', fact->>'branchId'
      USING ERRCODE = '42501';
  END IF;
  IF person IS NULL OR NOT EXISTS (
    SELECT 1 FROM business.employees e
    WHERE e.id = employee AND e.business_id = business AND e.user_id = person AND e.deleted_at IS NULL AND e.status = 'ACTIVE'
  ) THEN
    RAISE EXCEPTION 'employee % is not user % in this terminal''s business', coalesce(employee::text, 'unknown'), coalesce(person::text, 'unknown')
      USING ERRCODE = '42501';
  END IF;
  IF requested IS NULL THEN
    RAISE EXCEPTION 'a phone link request without its time' USING ERRCODE = '22023';
  END IF;
  SELECT u.email, u.locale INTO address, language FROM auth.users u WHERE u.id = person AND u.deleted_at IS NULL;
  IF address IS NULL THEN
    RETURN true;
  END IF;
  template := communication.template_for(business, 'push.phone_link', 'EMAIL', coalesce(language, 'es-MX'));
  IF template IS NULL THEN
    RAISE EXCEPTION 'central has no push.phone_link e-mail template; run pos central migrate' USING ERRCODE = '55000';
  END IF;
  -- Two registers asking for the same person at once: one waits for the other, then sees its row.
  PERFORM pg_advisory_xact_lock(hashtextextended('push-link:' || person::text, 0));
  IF EXISTS (
    SELECT 1 FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
    WHERE j.user_id = person AND t.code = 'push.phone_link' AND j.created_at > now() - interval '1 minute'
  ) THEN
    RETURN false;
  END IF;
  INSERT INTO communication.notification_jobs (id, business_id, user_id, template_id, channel, recipient, payload, idempotency_key)
  VALUES ((fact->>'id')::uuid, business, person, template, 'EMAIL', address,
          jsonb_build_object('userId', person, 'employeeId', employee, 'branchId', sync.my_branch(), 'registerId', sync.my_register()),
          'push-link:' || employee || ':' || to_char(requested AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'))
  ON CONFLICT (idempotency_key) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added > 0;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.request_phone_link(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.request_phone_link(jsonb) TO pos_terminal;
