-- A register without central's fiscal worker stamps its own invoices and journals each step
-- (invoice.sealed, invoice.stamped, invoice.rejected): central holds the same attempts and the
-- same answers. A register may only answer its own PENDING invoices, once, with ISSUED or
-- REJECTED, and may only let go the link of an invoice that was rejected, so a forged fact (its
-- sync.json may be in anyone's hands) cannot free a stamped sale to be invoiced twice.
-- pos_guard_update (0001) still freezes every other column of an invoice.
GRANT UPDATE (status, fiscal_data, fiscal_id_type, fiscal_id, issued_at, updated_at) ON billing.invoices TO pos_terminal;
--> statement-breakpoint
GRANT UPDATE (deleted_at, updated_at) ON billing.invoice_sales TO pos_terminal;
--> statement-breakpoint
GRANT SELECT, INSERT ON billing.stamp_attempts TO pos_terminal;
--> statement-breakpoint
ALTER TABLE billing.stamp_attempts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.stamp_attempts TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status = 'PENDING'));
--> statement-breakpoint
CREATE POLICY terminal_answers_pending ON billing.invoices AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (status = 'PENDING')
  WITH CHECK (status IN ('ISSUED', 'REJECTED'));
--> statement-breakpoint
CREATE POLICY terminal_frees_rejected ON billing.invoice_sales AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (deleted_at IS NULL)
  WITH CHECK (deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status = 'REJECTED'));
