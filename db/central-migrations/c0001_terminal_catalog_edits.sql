-- A manager edits products and receives or counts stock at a terminal's back office; those are
-- journal facts (catalog.product_saved, catalog.variant_saved, stock.received, stock.adjusted)
-- and reach central like sales, so the other terminals pull them. A terminal may write its own
-- business's products and variants only; the facts' replay keeps the newer version, and the
-- search-word triggers those writes fire count words for the same business.
GRANT SELECT, INSERT, UPDATE ON inventory.products, inventory.product_variants, inventory.search_words TO pos_terminal;
--> statement-breakpoint
ALTER TABLE inventory.search_words ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_edits ON inventory.products FOR INSERT TO pos_terminal WITH CHECK (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_edits_update ON inventory.products FOR UPDATE TO pos_terminal
  USING (business_id = (SELECT sync.my_business())) WITH CHECK (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_edits ON inventory.product_variants FOR INSERT TO pos_terminal WITH CHECK (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_edits_update ON inventory.product_variants FOR UPDATE TO pos_terminal
  USING (business_id = (SELECT sync.my_business())) WITH CHECK (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_words ON inventory.search_words TO pos_terminal
  USING (business_id = (SELECT sync.my_business())) WITH CHECK (business_id = (SELECT sync.my_business()));
