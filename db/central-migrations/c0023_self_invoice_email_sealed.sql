-- The e-mail a self-invoice goes to is a customer's personal data: kept sealed, as the registers
-- keep theirs (AES-256-GCM, security/sealed-json.ts), under a key of the business's that central
-- holds outside the database, DATA_DIR/businesses/<id>/keys/pii.key (mode 0600, beside its CSD),
-- bound to its row (billing.self_invoices.email:<id>): a sealed address copied to another row
-- does not open. New rows write only email_sealed.
--
-- The key is not in the database, so this migration cannot seal the addresses already written.
-- They keep the plain column, now nullable, so no row loses its address (its e-mail may still be
-- waiting for the stamp); the fiscal worker's sweep seals them and clears it
-- (self-invoice/customer-email.ts). A row holds exactly one of the two: none would lose the
-- address, both would keep it in the clear.
ALTER TABLE billing.self_invoices ALTER COLUMN email DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE billing.self_invoices ADD COLUMN email_sealed jsonb
  CHECK (email_sealed IS NULL OR (jsonb_typeof(email_sealed) = 'object' AND email_sealed ?& ARRAY['v', 'alg', 'kid', 'iv', 'tag', 'data']));
--> statement-breakpoint
ALTER TABLE billing.self_invoices ADD CONSTRAINT self_invoices_email_once_check CHECK (num_nonnulls(email, email_sealed) = 1);
--> statement-breakpoint
-- What the sweep still has to seal.
CREATE INDEX self_invoices_plain_email_idx ON billing.self_invoices (created_at) WHERE email IS NOT NULL;
