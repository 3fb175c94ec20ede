CREATE TABLE "billing"."stamp_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"xml" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."stamp_attempts" ADD CONSTRAINT "stamp_attempts_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stamp_attempts_invoice_id_sealed_at_idx" ON "billing"."stamp_attempts" USING btree ("invoice_id","sealed_at");--> statement-breakpoint
-- What was sent to the PAC stays what was sent: the next pass asks for that very document again.
CREATE TRIGGER pos_immutable BEFORE UPDATE ON billing.stamp_attempts FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
