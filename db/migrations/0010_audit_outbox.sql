-- The audit trail goes to central as journal facts (audit.recorded), so that an owner reads every
-- register's entries in one place and central can alert on lockouts and sign-ins from new
-- devices. Entries are written in the transactions of the changes they record, all over the
-- engine; this trigger notes each one in the same transaction, in the order they were written,
-- and the sync loop forwards them to the journal from here. A sequence, not created_at: a clock
-- stepped back must not hide an entry behind the forwarder's cursor. Unused on central itself.
CREATE TABLE public.pos_audit_outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE public.pos_audit_forwarded (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO public.pos_audit_forwarded (id, seq) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION public.pos_note_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.pos_audit_outbox (audit_id) VALUES (NEW.id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER pos_audit_outbox AFTER INSERT ON auth.audit_logs FOR EACH ROW EXECUTE FUNCTION public.pos_note_audit();
--> statement-breakpoint
-- What was written before this migration goes too: the trail at central starts where the register's does.
INSERT INTO public.pos_audit_outbox (audit_id) SELECT id FROM auth.audit_logs ORDER BY created_at, id;
