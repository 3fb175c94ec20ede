-- A register that works alone issues its branch's factura global (invoice.requested of kind
-- GLOBAL): its sales are linked through invoice_sales, and the returns it is net of through
-- invoice_returns, which reach central like the invoice's other rows. A register links only its
-- own invoices to returns that exist, and lets a link go only when its invoice was rejected.
GRANT SELECT, INSERT ON billing.invoice_returns TO pos_terminal;
--> statement-breakpoint
GRANT UPDATE (deleted_at, updated_at) ON billing.invoice_returns TO pos_terminal;
--> statement-breakpoint
ALTER TABLE billing.invoice_returns ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.invoice_returns TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id) AND EXISTS (SELECT 1 FROM sales.returns r WHERE r.id = return_id));
--> statement-breakpoint
CREATE POLICY terminal_frees_rejected ON billing.invoice_returns AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (deleted_at IS NULL)
  WITH CHECK (deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status = 'REJECTED'));
