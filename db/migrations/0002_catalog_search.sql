-- Accent-insensitive product search: "jalapeno" finds "Jalapeños". unaccent() is only STABLE
-- (its dictionary could change), so an index needs an IMMUTABLE wrapper naming the dictionary.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.pos_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
-- Substring search over live product names through trigrams (LIKE '%…%' uses it).
CREATE INDEX products_name_search_idx ON inventory.products USING gin (public.pos_fold(name) gin_trgm_ops)
  WHERE deleted_at IS NULL;
