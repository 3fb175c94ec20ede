-- Every register's audit trail at central, append-only as on the register: the fact
-- audit.recorded carries one entry, and this writes it to central's auth.audit_logs.
--
-- 1. The register notes its entries for forwarding (shared migration 0010); central writes its
--    own trail directly and forwards nothing.
DROP TRIGGER pos_audit_outbox ON auth.audit_logs;
--> statement-breakpoint
-- 2. An entry must be the register's own: its business, its branch (or none). The session it
--    names lives only on that register, so it is kept in details; the register is added there.
CREATE FUNCTION sync.record_audit(entry jsonb) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  added integer;
BEGIN
  IF coalesce((entry->>'business_id')::uuid, sync.my_business()) <> sync.my_business()
     OR coalesce((entry->>'branch_id')::uuid, sync.my_branch()) <> sync.my_branch() THEN
    RAISE EXCEPTION 'an audit entry of another business or branch (business %, branch %)', entry->>'business_id', entry->>'branch_id'
      USING ERRCODE = '42501';
  END IF;
  INSERT INTO auth.audit_logs (id, business_id, branch_id, actor_user_id, actor_employee_id, approver_employee_id, session_id,
                               device_id, action, outcome, entity_type, entity_id, details, created_at, updated_at)
  VALUES ((entry->>'id')::uuid, sync.my_business(), (entry->>'branch_id')::uuid, (entry->>'actor_user_id')::uuid,
          (entry->>'actor_employee_id')::uuid, (entry->>'approver_employee_id')::uuid, NULL, entry->>'device_id',
          entry->>'action', entry->>'outcome', entry->>'entity_type', (entry->>'entity_id')::uuid,
          coalesce(entry->'details', '{}'::jsonb)
            || jsonb_build_object('register', sync.my_register())
            || CASE WHEN entry->>'session_id' IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('terminalSession', entry->'session_id') END,
          (entry->>'created_at')::timestamptz, now())
  ON CONFLICT (id) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added > 0;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.record_audit(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.record_audit(jsonb) TO pos_terminal;
--> statement-breakpoint
-- 3. The alert scan reads the entries that can alert (lockouts, sign-ins) as they arrive.
CREATE INDEX ledger_security_idx ON sync.ledger (received_at)
  WHERE kind = 'audit.recorded' AND payload->>'action' IN ('auth.lockout', 'auth.sign_in');
