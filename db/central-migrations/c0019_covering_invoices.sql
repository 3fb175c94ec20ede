-- Which document already covers each of these sales, for a register's invoice arriving after
-- central covered one of its sales with a factura global (sync/central-invoice.ts). Past
-- row-level security, since a global central issued is no register's; limited to the register's
-- own sales, and answering only the covering document's kind, series and folio.
CREATE FUNCTION sync.covering_invoices(sale_ids uuid[], except_invoices uuid[])
RETURNS TABLE (sale_id uuid, kind text, series text, folio bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.sale_id, i.kind, i.series, i.folio
  FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id JOIN sales.sales s ON s.id = l.sale_id
  WHERE l.sale_id = ANY (sale_ids) AND l.deleted_at IS NULL AND NOT (l.invoice_id = ANY (except_invoices))
    AND s.register_id = (SELECT sync.my_register()) AND s.business_id = (SELECT sync.my_business())
  ORDER BY l.sale_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.covering_invoices(uuid[], uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.covering_invoices(uuid[], uuid[]) TO pos_terminal;
