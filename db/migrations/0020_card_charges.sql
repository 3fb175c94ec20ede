CREATE TABLE "payments"."card_charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"shift_id" uuid,
	"sale_id" uuid NOT NULL,
	"payment_method_id" uuid NOT NULL,
	"employee_id" uuid,
	"provider" text NOT NULL,
	"terminal_id" text NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"external_reference" text NOT NULL,
	"provider_reference" text,
	"status" text NOT NULL,
	"status_detail" text,
	"card_last4" text,
	"card_brand" text,
	"approval_code" text,
	"provider_payment_id" text,
	"provider_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "card_charges_provider_check" CHECK ("payments"."card_charges"."provider" in ('mercadopago', 'clip')),
	CONSTRAINT "card_charges_status_check" CHECK ("payments"."card_charges"."status" in ('SENT', 'CREATED', 'AT_TERMINAL', 'PROCESSING', 'APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED')),
	CONSTRAINT "card_charges_amount_check" CHECK ("payments"."card_charges"."amount" > 0),
	CONSTRAINT "card_charges_card_last4_check" CHECK ("payments"."card_charges"."card_last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD COLUMN "card_charge_id" uuid;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_payment_method_id_payment_methods_id_fk" FOREIGN KEY ("payment_method_id") REFERENCES "payments"."payment_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."card_charges" ADD CONSTRAINT "card_charges_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_charges_business_id_idx" ON "payments"."card_charges" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "card_charges_branch_id_idx" ON "payments"."card_charges" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "card_charges_register_id_idx" ON "payments"."card_charges" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "card_charges_shift_id_idx" ON "payments"."card_charges" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "card_charges_sale_id_idx" ON "payments"."card_charges" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "card_charges_payment_method_id_idx" ON "payments"."card_charges" USING btree ("payment_method_id");--> statement-breakpoint
CREATE INDEX "card_charges_employee_id_idx" ON "payments"."card_charges" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "card_charges_idempotency_key_key" ON "payments"."card_charges" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "card_charges_external_reference_key" ON "payments"."card_charges" USING btree ("external_reference");--> statement-breakpoint
CREATE INDEX "card_charges_open_idx" ON "payments"."card_charges" USING btree ("created_at") WHERE "payments"."card_charges"."status" not in ('APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED');--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_card_charge_id_card_charges_id_fk" FOREIGN KEY ("card_charge_id") REFERENCES "payments"."card_charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_card_charge_id_key" ON "payments"."transactions" USING btree ("card_charge_id");--> statement-breakpoint
-- A charge's state moves on only while it is open, and a final one (APPROVED, DECLINED,
-- CANCELLED, EXPIRED) never changes: an approval or a decline is written once, whoever writes it,
-- a replayed fact included. What a charge asks for (its sale, amount and reference) never changes.
CREATE OR REPLACE FUNCTION public.pos_card_charge_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED') THEN
    RAISE EXCEPTION 'payments.card_charges: a charge % stays %', OLD.id, OLD.status USING ERRCODE = 'PS002';
  END IF;
  IF NEW.amount <> OLD.amount OR NEW.sale_id <> OLD.sale_id OR NEW.external_reference <> OLD.external_reference
     OR NEW.provider <> OLD.provider OR NEW.terminal_id <> OLD.terminal_id THEN
    RAISE EXCEPTION 'payments.card_charges: what charge % asks for does not change', OLD.id USING ERRCODE = 'PS002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER pos_card_charge_state BEFORE UPDATE ON payments.card_charges FOR EACH ROW EXECUTE FUNCTION public.pos_card_charge_state();
