-- Motive 01 asked for at a register (invoices.substitute): the substitute is an invoice of the
-- register's for the same sale, related to the one it replaces; its fact lets go the replaced
-- invoice's link to the sale (still ISSUED at that moment, which c0016 alone refuses), and the
-- cancellation request names the substitute. A forged fact may relate only the register's own
-- invoice of the same sale, free a link only of an invoice a substitute replaces, and name as
-- substitute only an invoice that replaces the one cancelled.
DROP POLICY terminal_credits_own ON billing.invoices;
--> statement-breakpoint
CREATE POLICY terminal_credits_own ON billing.invoices AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (related_invoice_id IS NULL OR (kind IN ('CREDIT_NOTE', 'INVOICE') AND sync.credits_own_invoice(related_invoice_id, sale_id)));
--> statement-breakpoint
DROP POLICY terminal_frees_undone ON billing.invoice_sales;
--> statement-breakpoint
CREATE POLICY terminal_frees_undone ON billing.invoice_sales AS RESTRICTIVE FOR UPDATE TO pos_terminal
  USING (deleted_at IS NULL)
  WITH CHECK (deleted_at IS NOT NULL AND (
    EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id AND i.status IN ('REJECTED', 'CANCELLED'))
    OR EXISTS (SELECT 1 FROM billing.invoices s WHERE s.related_invoice_id = invoice_id AND s.kind = 'INVOICE' AND s.sale_id = invoice_sales.sale_id)));
--> statement-breakpoint
CREATE POLICY terminal_names_substitute ON billing.invoice_cancellations AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (substitute_invoice_id IS NULL
    OR EXISTS (SELECT 1 FROM billing.invoices s WHERE s.id = substitute_invoice_id AND s.related_invoice_id = invoice_id AND s.kind = 'INVOICE'));
