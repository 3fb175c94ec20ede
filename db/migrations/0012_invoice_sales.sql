CREATE TABLE "billing"."invoice_sales" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD COLUMN "register_id" uuid;--> statement-breakpoint
ALTER TABLE "billing"."invoice_sales" ADD CONSTRAINT "invoice_sales_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_sales" ADD CONSTRAINT "invoice_sales_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_sales_invoice_id_idx" ON "billing"."invoice_sales" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_sales_sale_id_idx" ON "billing"."invoice_sales" USING btree ("sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_sales_sale_id_key" ON "billing"."invoice_sales" USING btree ("sale_id") WHERE "billing"."invoice_sales"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_register_id_idx" ON "billing"."invoices" USING btree ("register_id");