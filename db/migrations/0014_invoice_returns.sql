CREATE TABLE "billing"."invoice_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"return_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_returns" ADD CONSTRAINT "invoice_returns_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_returns" ADD CONSTRAINT "invoice_returns_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "sales"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_returns_invoice_id_idx" ON "billing"."invoice_returns" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_returns_return_id_idx" ON "billing"."invoice_returns" USING btree ("return_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_returns_return_id_key" ON "billing"."invoice_returns" USING btree ("return_id") WHERE "billing"."invoice_returns"."deleted_at" is null;