CREATE TABLE "billing"."cancellation_answers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cancellation_id" uuid NOT NULL,
	"state" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"acuse" text,
	"answered_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "cancellation_answers_state_check" CHECK ("billing"."cancellation_answers"."state" in ('IN_PROCESS', 'ACCEPTED', 'REJECTED'))
);
--> statement-breakpoint
CREATE TABLE "billing"."invoice_cancellations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"motive" text NOT NULL,
	"substitute_uuid" text,
	"requested_by" uuid,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "invoice_cancellations_motive_check" CHECK ("billing"."invoice_cancellations"."motive" in ('01', '02', '03', '04')),
	CONSTRAINT "invoice_cancellations_substitute_check" CHECK (("billing"."invoice_cancellations"."motive" = '01') = ("billing"."invoice_cancellations"."substitute_uuid" is not null))
);
--> statement-breakpoint
ALTER TABLE "billing"."cancellation_answers" ADD CONSTRAINT "cancellation_answers_cancellation_id_invoice_cancellations_id_fk" FOREIGN KEY ("cancellation_id") REFERENCES "billing"."invoice_cancellations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_cancellations" ADD CONSTRAINT "invoice_cancellations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_cancellations" ADD CONSTRAINT "invoice_cancellations_requested_by_employees_id_fk" FOREIGN KEY ("requested_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cancellation_answers_cancellation_id_answered_at_idx" ON "billing"."cancellation_answers" USING btree ("cancellation_id","answered_at");--> statement-breakpoint
CREATE INDEX "invoice_cancellations_invoice_id_idx" ON "billing"."invoice_cancellations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_cancellations_requested_by_idx" ON "billing"."invoice_cancellations" USING btree ("requested_by");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_cancellations_idempotency_key_key" ON "billing"."invoice_cancellations" USING btree ("idempotency_key");
--> statement-breakpoint
-- What was asked of the authority, and each answer, stay as they were.
CREATE TRIGGER pos_immutable BEFORE UPDATE ON billing.invoice_cancellations FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE UPDATE ON billing.cancellation_answers FOR EACH ROW EXECUTE FUNCTION public.pos_refuse_update();
--> statement-breakpoint
-- An invoice's state moves only as the authority answers: a PENDING one is stamped (ISSUED) or
-- refused (REJECTED), an ISSUED one may be CANCELLED; nothing comes back. Whoever writes it, a
-- replayed fact included.
CREATE OR REPLACE FUNCTION public.pos_invoice_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status
     OR (OLD.status = 'PENDING' AND NEW.status IN ('ISSUED', 'REJECTED'))
     OR (OLD.status = 'ISSUED' AND NEW.status = 'CANCELLED') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'billing.invoices: an invoice % does not become %', OLD.status, NEW.status USING ERRCODE = 'PS002';
END
$$;
--> statement-breakpoint
CREATE TRIGGER pos_invoice_state BEFORE UPDATE OF status ON billing.invoices FOR EACH ROW EXECUTE FUNCTION public.pos_invoice_state();
