-- Central's fiscal worker stamps and cancels the invoices of the registers that sync, and issues
-- their branch's facturas globales: what it writes goes back down to each register with its
-- pulls, so the counter and the back office say ISSUED, REJECTED (with the SAT's reason) or
-- CANCELLED, print the stamped CFDI, and refuse an invoice for a sale a global covers.
--
-- 1. Pulled like the catalog: an insert takes central's clock (updates already do), so no
--    register's cursor passes it by.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['billing.invoices', 'billing.invoice_items', 'billing.invoice_sales', 'billing.invoice_returns',
    'billing.invoice_cancellations', 'billing.cancellation_answers']
  LOOP
    EXECUTE format('CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival()', t);
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE INDEX invoices_branch_changes_idx ON billing.invoices (branch_id, updated_at, id);
--> statement-breakpoint
-- 2. What each register sees: the invoices of its branch that are its own, or that cover (or
--    covered: a rejected global still explains itself) a sale or a return of its own; and their
--    lines, links to its own sales and returns, cancellations and answers. Nothing of another
--    register's sales comes down: the register has no row for them to point at.
CREATE VIEW sync.terminal_invoices WITH (security_barrier) AS
SELECT i.* FROM billing.invoices i
WHERE i.branch_id = sync.my_branch()
  AND (i.sale_id IS NULL OR EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = i.sale_id AND s.register_id = sync.my_register()))
  AND (i.register_id = sync.my_register()
       OR EXISTS (SELECT 1 FROM billing.invoice_sales l JOIN sales.sales s ON s.id = l.sale_id
                  WHERE l.invoice_id = i.id AND s.register_id = sync.my_register())
       OR EXISTS (SELECT 1 FROM billing.invoice_returns l JOIN sales.returns r ON r.id = l.return_id
                  WHERE l.invoice_id = i.id AND r.register_id = sync.my_register()));
--> statement-breakpoint
CREATE VIEW sync.terminal_invoice_items WITH (security_barrier) AS
SELECT it.* FROM billing.invoice_items it
WHERE EXISTS (SELECT 1 FROM sync.terminal_invoices i WHERE i.id = it.invoice_id);
--> statement-breakpoint
CREATE VIEW sync.terminal_invoice_sales WITH (security_barrier) AS
SELECT l.* FROM billing.invoice_sales l
WHERE EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = l.sale_id AND s.register_id = sync.my_register() AND s.branch_id = sync.my_branch());
--> statement-breakpoint
CREATE VIEW sync.terminal_invoice_returns WITH (security_barrier) AS
SELECT l.* FROM billing.invoice_returns l
WHERE EXISTS (SELECT 1 FROM sales.returns r WHERE r.id = l.return_id AND r.register_id = sync.my_register());
--> statement-breakpoint
CREATE VIEW sync.terminal_invoice_cancellations WITH (security_barrier) AS
SELECT c.* FROM billing.invoice_cancellations c
WHERE EXISTS (SELECT 1 FROM sync.terminal_invoices i WHERE i.id = c.invoice_id);
--> statement-breakpoint
CREATE VIEW sync.terminal_cancellation_answers WITH (security_barrier) AS
SELECT a.* FROM billing.cancellation_answers a
WHERE EXISTS (SELECT 1 FROM billing.invoice_cancellations c JOIN sync.terminal_invoices i ON i.id = c.invoice_id
              WHERE c.id = a.cancellation_id);
--> statement-breakpoint
GRANT SELECT ON sync.terminal_invoices, sync.terminal_invoice_items, sync.terminal_invoice_sales, sync.terminal_invoice_returns,
  sync.terminal_invoice_cancellations, sync.terminal_cancellation_answers TO pos_terminal;
