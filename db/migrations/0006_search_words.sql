-- Typo-tolerant product search at a million products (see electron/engine/services/catalog/search.ts).
-- Comparing a typed word with every name by trigram similarity takes seconds; instead:
--   1. every catalog text is cut into folded words by public.pos_words ("Jalapeños 220g" →
--      {jalapenos,220,g}), and products and variants get a GIN index over those words;
--   2. inventory.search_words holds each distinct word once, with its trigram index: a typed
--      word is completed (prefix) or corrected (similarity) against a few thousand rows;
--   3. the corrected words are matched through the GIN indexes of step 1.
-- Runs unchanged on PostgreSQL 15 (central) and PGlite (PostgreSQL 18).

-- Folded words of a text: lower case, no accents, cut at anything that is not a letter or a
-- digit and between digits and letters ("220g" is 220 and g, as the cashier may type either).
-- Words may repeat; GIN keeps each once. The search code folds typed text the same way in
-- TypeScript (search-terms.ts), and a test holds the two to the same answers.
-- unaccent's rules differ between PostgreSQL 15 and 18 in Latin-1: 18 folds the ordinals ª º
-- and writes ½ as " 1/2", 15 leaves ª º alone and writes "1/2". Those five are settled first,
-- so a terminal and central cut every Latin-1 and Latin Extended-A text into the same words.
CREATE OR REPLACE FUNCTION public.pos_words(value text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
DECLARE
  folded text := value;
BEGIN
  IF translate(folded, 'ªº¼½¾', '') <> folded THEN
    folded := replace(replace(replace(translate(folded, 'ªº', 'ao'), '¼', ' 1/4'), '½', ' 1/2'), '¾', ' 3/4');
  END IF;
  -- public.pos_fold, written out: calling a SQL function costs more than the folding itself.
  folded := regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, folded)), '[^a-z0-9 ]+', ' ', 'g');
  IF folded ~ '[0-9][a-z]|[a-z][0-9]' THEN
    folded := regexp_replace(regexp_replace(folded, '([0-9])([a-z])', '\1 \2', 'g'), '([a-z])([0-9])', '\1 \2', 'g');
  END IF;
  RETURN array_remove(string_to_array(folded, ' '), '');
END
$$;
--> statement-breakpoint
-- The words a product is found by: its name and its brand.
CREATE OR REPLACE FUNCTION public.pos_product_words(name text, brand text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.pos_words(name || ' ' || coalesce(brand, '')) $$;
--> statement-breakpoint
-- A dictionary word's id: the UUIDv3 (RFC 9562, MD5 name-based) of the word in the namespace
-- of its business. Made from the row's own key, so every terminal and central give a word the
-- same id and a trigger can create the row without a database-made random or sequential id.
CREATE OR REPLACE FUNCTION public.pos_search_word_id(business_id uuid, word text) RETURNS uuid
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT (substr(h, 1, 12) || '3' || substr(h, 14, 3)
                || to_hex((('x' || substr(h, 17, 1))::bit(4)::int & 3) | 8) || substr(h, 18))::uuid
        FROM (SELECT md5(decode(replace(business_id::text, '-', ''), 'hex') || convert_to(word, 'UTF8')) AS h) AS digest $$;
--> statement-breakpoint
-- Counts the words of live, active items: +1 for each word of each item after the statement,
-- -1 for each word of each item before it, summed per business and word and applied at once.
-- A word that gains its first use is created (or revived), one that loses its last is
-- soft-deleted. Statement-level with transition tables, so loading 20,000 products is one
-- grouped pass and a few hundred upserts, not 20,000 of each. Rows are written in (business,
-- word) order, so two writers touching the same words wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION public.pos_count_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'products' AND TG_OP = 'INSERT' THEN
    INSERT INTO inventory.search_words AS s (id, business_id, word, product_uses)
    SELECT public.pos_search_word_id(r.business_id, w.word), r.business_id, w.word, count(*)::int
    FROM new_rows r CROSS JOIN LATERAL unnest(public.pos_product_words(r.name, r.brand)) AS w(word)
    WHERE r.deleted_at IS NULL AND r.is_active
    GROUP BY r.business_id, w.word
    ORDER BY r.business_id, w.word
    ON CONFLICT (business_id, word) DO UPDATE
      SET product_uses = s.product_uses + excluded.product_uses, deleted_at = NULL;
  ELSIF TG_TABLE_NAME = 'product_variants' AND TG_OP = 'INSERT' THEN
    INSERT INTO inventory.search_words AS s (id, business_id, word, variant_uses)
    SELECT public.pos_search_word_id(r.business_id, w.word), r.business_id, w.word, count(*)::int
    FROM new_rows r CROSS JOIN LATERAL unnest(public.pos_words(r.name)) AS w(word)
    WHERE r.deleted_at IS NULL AND r.is_active AND r.name IS NOT NULL
    GROUP BY r.business_id, w.word
    ORDER BY r.business_id, w.word
    ON CONFLICT (business_id, word) DO UPDATE
      SET variant_uses = s.variant_uses + excluded.variant_uses, deleted_at = NULL;
  ELSIF TG_TABLE_NAME = 'products' AND TG_OP = 'UPDATE' THEN
    WITH changed AS (
      SELECT o.business_id AS old_business, public.pos_product_words(o.name, o.brand) AS old_words,
             o.deleted_at IS NULL AND o.is_active AS was_live,
             n.business_id AS new_business, public.pos_product_words(n.name, n.brand) AS new_words,
             n.deleted_at IS NULL AND n.is_active AS is_live
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.name, o.brand, o.business_id, o.deleted_at IS NULL AND o.is_active)
            IS DISTINCT FROM (n.name, n.brand, n.business_id, n.deleted_at IS NULL AND n.is_active)
    ), delta AS (
      SELECT business_id, word, sum(d)::int AS d FROM (
        SELECT c.old_business AS business_id, w.word, -1 AS d
        FROM changed c CROSS JOIN LATERAL unnest(c.old_words) AS w(word) WHERE c.was_live
        UNION ALL
        SELECT c.new_business, w.word, 1
        FROM changed c CROSS JOIN LATERAL unnest(c.new_words) AS w(word) WHERE c.is_live
      ) AS uses GROUP BY business_id, word HAVING sum(d) <> 0
    ), gained AS (
      INSERT INTO inventory.search_words AS s (id, business_id, word, product_uses)
      SELECT public.pos_search_word_id(business_id, word), business_id, word, d FROM delta WHERE d > 0
      ORDER BY business_id, word
      ON CONFLICT (business_id, word) DO UPDATE
        SET product_uses = s.product_uses + excluded.product_uses, deleted_at = NULL
      RETURNING 1
    ), lost AS MATERIALIZED (
      SELECT s.id, l.d FROM delta l JOIN inventory.search_words s ON s.business_id = l.business_id AND s.word = l.word
      WHERE l.d < 0 ORDER BY l.business_id, l.word FOR UPDATE OF s
    )
    UPDATE inventory.search_words s
      SET product_uses = s.product_uses + lost.d,
          deleted_at = CASE WHEN s.product_uses + lost.d + s.variant_uses = 0 THEN now() END
    FROM lost WHERE s.id = lost.id;
  ELSIF TG_TABLE_NAME = 'product_variants' AND TG_OP = 'UPDATE' THEN
    WITH changed AS (
      SELECT o.business_id AS old_business, public.pos_words(o.name) AS old_words,
             o.deleted_at IS NULL AND o.is_active AND o.name IS NOT NULL AS was_live,
             n.business_id AS new_business, public.pos_words(n.name) AS new_words,
             n.deleted_at IS NULL AND n.is_active AND n.name IS NOT NULL AS is_live
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.name, o.business_id, o.deleted_at IS NULL AND o.is_active)
            IS DISTINCT FROM (n.name, n.business_id, n.deleted_at IS NULL AND n.is_active)
    ), delta AS (
      SELECT business_id, word, sum(d)::int AS d FROM (
        SELECT c.old_business AS business_id, w.word, -1 AS d
        FROM changed c CROSS JOIN LATERAL unnest(c.old_words) AS w(word) WHERE c.was_live
        UNION ALL
        SELECT c.new_business, w.word, 1
        FROM changed c CROSS JOIN LATERAL unnest(c.new_words) AS w(word) WHERE c.is_live
      ) AS uses GROUP BY business_id, word HAVING sum(d) <> 0
    ), gained AS (
      INSERT INTO inventory.search_words AS s (id, business_id, word, variant_uses)
      SELECT public.pos_search_word_id(business_id, word), business_id, word, d FROM delta WHERE d > 0
      ORDER BY business_id, word
      ON CONFLICT (business_id, word) DO UPDATE
        SET variant_uses = s.variant_uses + excluded.variant_uses, deleted_at = NULL
      RETURNING 1
    ), lost AS MATERIALIZED (
      SELECT s.id, l.d FROM delta l JOIN inventory.search_words s ON s.business_id = l.business_id AND s.word = l.word
      WHERE l.d < 0 ORDER BY l.business_id, l.word FOR UPDATE OF s
    )
    UPDATE inventory.search_words s
      SET variant_uses = s.variant_uses + lost.d,
          deleted_at = CASE WHEN s.product_uses + s.variant_uses + lost.d = 0 THEN now() END
    FROM lost WHERE s.id = lost.id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER pos_search_words_insert AFTER INSERT ON inventory.products
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pos_count_search_words();
--> statement-breakpoint
CREATE TRIGGER pos_search_words_update AFTER UPDATE ON inventory.products
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pos_count_search_words();
--> statement-breakpoint
CREATE TRIGGER pos_search_words_insert AFTER INSERT ON inventory.product_variants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pos_count_search_words();
--> statement-breakpoint
CREATE TRIGGER pos_search_words_update AFTER UPDATE ON inventory.product_variants
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pos_count_search_words();
--> statement-breakpoint
-- The catalog a terminal already holds.
INSERT INTO inventory.search_words (id, business_id, word, product_uses, variant_uses)
SELECT public.pos_search_word_id(business_id, word), business_id, word, sum(product_uses)::int, sum(variant_uses)::int
FROM (
  SELECT p.business_id, w.word, 1 AS product_uses, 0 AS variant_uses
  FROM inventory.products p CROSS JOIN LATERAL unnest(public.pos_product_words(p.name, p.brand)) AS w(word)
  WHERE p.deleted_at IS NULL AND p.is_active
  UNION ALL
  SELECT v.business_id, w.word, 0, 1
  FROM inventory.product_variants v CROSS JOIN LATERAL unnest(public.pos_words(v.name)) AS w(word)
  WHERE v.deleted_at IS NULL AND v.is_active AND v.name IS NOT NULL
) AS uses
GROUP BY business_id, word;
--> statement-breakpoint
-- Completing and correcting a typed word: LIKE 'jala%' and similarity (%) over live words.
CREATE INDEX search_words_word_search_idx ON inventory.search_words USING gin (word gin_trgm_ops)
  WHERE deleted_at IS NULL;
--> statement-breakpoint
-- Matching words: products by the words of name and brand, variants by the words of their name.
CREATE INDEX products_words_idx ON inventory.products USING gin (public.pos_product_words(name, brand))
  WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE INDEX product_variants_words_idx ON inventory.product_variants USING gin (public.pos_words(name))
  WHERE deleted_at IS NULL AND name IS NOT NULL;
