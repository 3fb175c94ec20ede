-- A register asks for the cancellation of its own ISSUED invoices (invoice.cancel_requested)
-- and, without central's fiscal worker, journals the authority's answers
-- (invoice.cancel_answered): central holds the same requests and answers. A register may cancel
-- only an ISSUED invoice of its own, and let go an invoice's links only once it is CANCELLED or
-- REJECTED; pos_invoice_state (0016) keeps every other move of an invoice's state out.
GRANT SELECT, INSERT ON billing.invoice_cancellations, billing.cancellation_answers TO pos_terminal;
--> statement-breakpoint
ALTER TABLE billing.invoice_cancellations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing.cancellation_answers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.invoice_cancellations TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status = 'ISSUED'));
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.cancellation_answers TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoice_cancellations c WHERE c.id = cancellation_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoice_cancellations c WHERE c.id = cancellation_id));
--> statement-breakpoint
DROP POLICY terminal_answers_pending ON billing.invoices;
--> statement-breakpoint
CREATE POLICY terminal_answers ON billing.invoices AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (status IN ('PENDING', 'ISSUED'))
  WITH CHECK (status IN ('ISSUED', 'REJECTED', 'CANCELLED'));
--> statement-breakpoint
DROP POLICY terminal_frees_rejected ON billing.invoice_sales;
--> statement-breakpoint
CREATE POLICY terminal_frees_undone ON billing.invoice_sales AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (deleted_at IS NULL)
  WITH CHECK (deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status IN ('REJECTED', 'CANCELLED')));
--> statement-breakpoint
DROP POLICY terminal_frees_rejected ON billing.invoice_returns;
--> statement-breakpoint
CREATE POLICY terminal_frees_undone ON billing.invoice_returns AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (deleted_at IS NULL)
  WITH CHECK (deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status IN ('REJECTED', 'CANCELLED')));
