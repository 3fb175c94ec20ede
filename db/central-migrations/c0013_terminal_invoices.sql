-- A register asks for a sale's CFDI and journals it (invoice.requested): the invoice, its lines
-- and the link that marks the sale as invoiced reach central like the sale, where the fiscal
-- worker and the factura global see them. A register writes invoices of its own register,
-- branch and business only, for sales that are its own; nothing is ever updated or deleted by
-- it. The branch's fiscal profile comes down to the register (read only), so a register
-- provisioned from central issues from the same RFC, régimen and series.
GRANT SELECT ON billing.fiscal_profiles TO pos_terminal;
--> statement-breakpoint
GRANT SELECT, INSERT ON billing.invoices, billing.invoice_items, billing.invoice_sales TO pos_terminal;
--> statement-breakpoint
ALTER TABLE billing.fiscal_profiles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing.invoice_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing.invoice_sales ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_reads ON billing.fiscal_profiles FOR SELECT TO pos_terminal USING (business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.invoices TO pos_terminal
  USING (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()))
  WITH CHECK (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()));
--> statement-breakpoint
-- Lines and links through their invoice (which the policy above limits to this register), and
-- a link only to one of this register's own sales.
CREATE POLICY terminal_own ON billing.invoice_items TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id));
--> statement-breakpoint
CREATE POLICY terminal_own ON billing.invoice_sales TO pos_terminal
  USING (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM billing.invoices i WHERE i.id = invoice_id) AND EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = sale_id));
--> statement-breakpoint
-- Pulled like the catalog: an insert takes central's clock, so no register's cursor passes it by.
CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON billing.fiscal_profiles FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival();
