ALTER TABLE "sales"."receipts" DROP CONSTRAINT "receipts_kind_check";--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD COLUMN "invoice_id" uuid;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receipts_invoice_id_idx" ON "sales"."receipts" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_request_key_key" ON "sales"."receipts" USING btree ("request_key") WHERE "sales"."receipts"."request_key" is not null;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_kind_check" CHECK ("sales"."receipts"."kind" in ('SALE', 'GIFT', 'RETURN', 'X_REPORT', 'Z_REPORT', 'TEST', 'INVOICE'));