-- What central tells a business's managers, and how.
--
-- 1. A register's last contact, seen by central: every pull pass of a terminal calls
--    sync.heartbeat() (at most one write per register per 30 s). A register with an open shift
--    that has not been seen for longer than its threshold is reported silent.
ALTER TABLE sync.terminals ADD COLUMN last_seen_at timestamptz;
--> statement-breakpoint
CREATE FUNCTION sync.heartbeat() RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  UPDATE sync.terminals SET last_seen_at = now()
  WHERE register_id = sync.my_register() AND (last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.heartbeat() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.heartbeat() TO pos_terminal;
--> statement-breakpoint
-- 2. The alert scan reads the facts that arrived lately and can alert: a closed shift (its
--    variance) and a quarantined fact. This keeps that read off the rest of the ledger.
CREATE INDEX ledger_alerts_idx ON sync.ledger (received_at) WHERE kind = 'shift.closed' OR status = 'QUARANTINED';
--> statement-breakpoint
CREATE INDEX stock_levels_updated_at_idx ON inventory.stock_levels (updated_at) WHERE reorder_point IS NOT NULL;
--> statement-breakpoint
-- 3. Each person's choice of channels, per kind of notification (code, or '*' for every kind).
--    No row: in-app always, e-mail when the person has an address, push when they subscribed a
--    device; SMS and WhatsApp only when chosen (they cost money per message).
CREATE TABLE communication.notification_preferences (
  id uuid PRIMARY KEY NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id),
  code text NOT NULL CHECK (code = '*' OR code ~ '^[a-z]+(\.[a-z_]+)+$'),
  channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP')),
  enabled boolean NOT NULL,
  version integer DEFAULT 1 NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  deleted_at timestamptz
);
--> statement-breakpoint
CREATE INDEX notification_preferences_user_id_idx ON communication.notification_preferences (user_id);
--> statement-breakpoint
CREATE UNIQUE INDEX notification_preferences_choice_key ON communication.notification_preferences (user_id, code, channel)
  WHERE deleted_at IS NULL;
