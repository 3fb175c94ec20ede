-- A register's credit note may relate to any document that covers one of the register's own
-- sales, not only to an invoice the register wrote: central's factura global (the egreso to the
-- público en general of a return of a sale in it) and an invoice central issued for the sale
-- (self-invoicing). Until now such a credit note was refused by terminal_credits_own and sat in
-- quarantine, its return covered by nothing. A substitute (motive 01, kind INVOICE) still relates
-- only an individual invoice of the same sale. Either way the sale must be the register's own, so
-- a forged fact cannot hang a document on another register's sale.
CREATE FUNCTION sync.covers_my_sale(related uuid, sale uuid, kinds text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM billing.invoices i JOIN sales.sales s ON s.id = sale
    WHERE i.id = related AND i.kind = ANY (kinds) AND s.register_id = (SELECT sync.my_register())
      AND ((i.kind = 'INVOICE' AND i.sale_id = sale)
        OR (i.kind = 'GLOBAL' AND EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.invoice_id = i.id AND l.sale_id = sale)))
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.covers_my_sale(uuid, uuid, text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.covers_my_sale(uuid, uuid, text[]) TO pos_terminal;
--> statement-breakpoint
DROP POLICY terminal_credits_own ON billing.invoices;
--> statement-breakpoint
CREATE POLICY terminal_credits_own ON billing.invoices AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (related_invoice_id IS NULL
    OR (kind = 'CREDIT_NOTE' AND sync.covers_my_sale(related_invoice_id, sale_id, ARRAY['INVOICE', 'GLOBAL']))
    OR (kind = 'INVOICE' AND sync.covers_my_sale(related_invoice_id, sale_id, ARRAY['INVOICE'])));
--> statement-breakpoint
DROP FUNCTION sync.credits_own_invoice(uuid, uuid);
--> statement-breakpoint
-- Central credits a return the register could not (server/central/fiscal/central-credit-notes.ts)
-- once it holds the register's fact after the return's: found by the return fact's key.
CREATE INDEX ledger_return_facts_idx ON sync.ledger (register_id, idempotency_key) WHERE kind = 'return.recorded';
