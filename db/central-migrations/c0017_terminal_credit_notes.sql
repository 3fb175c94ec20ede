-- A register writes the credit note (CFDI de egreso) of a return of one of its invoiced sales
-- with the return, as the invoice.requested fact of an invoice of kind CREDIT_NOTE, its return
-- linked through invoice_returns (c0015), and stamps or refuses it as it does its invoices (c0014,
-- c0016). Its related_invoice_id may only name an individual invoice of this register for the
-- same sale, so a forged fact (its sync.json may be in anyone's hands) cannot hang a credit note
-- on another register's or another sale's CFDI. The check reads invoices past row-level security
-- (a policy of billing.invoices cannot read billing.invoices itself), so it names the register.
CREATE FUNCTION sync.credits_own_invoice(related uuid, sale uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM billing.invoices i
    WHERE i.id = related AND i.kind = 'INVOICE' AND i.sale_id = sale AND i.register_id = (SELECT sync.my_register())
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.credits_own_invoice(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.credits_own_invoice(uuid, uuid) TO pos_terminal;
--> statement-breakpoint
CREATE POLICY terminal_credits_own ON billing.invoices AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (related_invoice_id IS NULL OR (kind = 'CREDIT_NOTE' AND sync.credits_own_invoice(related_invoice_id, sale_id)));
