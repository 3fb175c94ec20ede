-- How far this database has pulled each table from central, by (updated_at, id). Written in
-- the same transaction as the rows it covers, so a power cut can lose both, never one: the
-- rows then simply come down again. Unused on central itself.
CREATE TABLE public.pos_sync_cursors (
  table_name text PRIMARY KEY,
  updated_at text NOT NULL,
  id uuid NOT NULL,
  pulled_at timestamptz NOT NULL DEFAULT now()
);
