-- Central only: what the maintenance queue of `pos central serve` needs.
--
-- 1. notification_archives: one row per batch of in-app notifications moved to cold storage
--    (a gzip NDJSON file in the archive directory). The batch's row ids are claimed here before
--    the file is written, so a run that dies between writing the file and soft-deleting the rows
--    is finished by the next run with the same rows and the same file name: no row is archived
--    twice and none is lost.
CREATE TABLE communication.notification_archives (
  id uuid PRIMARY KEY NOT NULL,
  idempotency_key text NOT NULL,
  file text NOT NULL,
  cutoff timestamptz NOT NULL,
  row_ids uuid[] NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  archived_at timestamptz,
  version integer DEFAULT 1 NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  deleted_at timestamptz
);
--> statement-breakpoint
CREATE UNIQUE INDEX notification_archives_idempotency_key_idx ON communication.notification_archives (idempotency_key);
--> statement-breakpoint
CREATE INDEX notification_archives_unfinished_idx ON communication.notification_archives (created_at)
  WHERE archived_at IS NULL AND deleted_at IS NULL;
--> statement-breakpoint
-- 2. The constitution's TTL rule, its one exception to "soft delete only": notification_logs
--    (delivery receipts kept for audit and debugging) are hard-deleted once past their age
--    (90 days unless configured), by the role pos_ttl and nobody else. The service connects as
--    central's owner and takes this role (SET LOCAL ROLE pos_ttl) for that one DELETE; pos_ttl
--    holds DELETE on this table only, and the trigger below lets a DELETE through only when the
--    current role is pos_ttl. TRUNCATE stays refused for everyone, and every other table keeps
--    the plain refusal.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pos_ttl') THEN
    CREATE ROLE pos_ttl NOLOGIN;
  END IF;
END $$;
--> statement-breakpoint
GRANT pos_ttl TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA communication TO pos_ttl;
--> statement-breakpoint
GRANT SELECT, DELETE ON communication.notification_logs TO pos_ttl;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.pos_refuse_delete_but_ttl() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_user = 'pos_ttl' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'soft delete only: % on %.% is refused; set deleted_at instead (only the TTL job, as pos_ttl, deletes here)',
    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'PS001';
END
$$;
--> statement-breakpoint
-- Same trigger name as the plain refusal, so pos_install_table_guards() sees it in place.
DROP TRIGGER pos_no_delete ON communication.notification_logs;
--> statement-breakpoint
CREATE TRIGGER pos_no_delete BEFORE DELETE OR TRUNCATE ON communication.notification_logs
  FOR EACH STATEMENT EXECUTE FUNCTION public.pos_refuse_delete_but_ttl();
