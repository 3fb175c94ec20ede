CREATE TABLE "sales"."customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"country" char(2) NOT NULL,
	"tax_id" text NOT NULL,
	"legal_name" text NOT NULL,
	"tax_regime" text NOT NULL,
	"postal_code" text NOT NULL,
	"fiscal_use" text NOT NULL,
	"contact" jsonb,
	"email_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "customers_tax_id_check" CHECK ("sales"."customers"."tax_id" = upper("sales"."customers"."tax_id") and "sales"."customers"."tax_id" not in ('XAXX010101000', 'XEXX010101000')),
	CONSTRAINT "customers_legal_name_check" CHECK (length("sales"."customers"."legal_name") between 1 and 300),
	CONSTRAINT "customers_tax_regime_check" CHECK ("sales"."customers"."tax_regime" ~ '^[0-9]{3}$'),
	CONSTRAINT "customers_postal_code_check" CHECK ("sales"."customers"."postal_code" ~ '^[0-9]{5}$'),
	CONSTRAINT "customers_fiscal_use_check" CHECK ("sales"."customers"."fiscal_use" ~ '^[A-Z0-9]{3,4}$')
);
--> statement-breakpoint
ALTER TABLE "sales"."customers" ADD CONSTRAINT "customers_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_business_id_idx" ON "sales"."customers" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_business_id_tax_id_key" ON "sales"."customers" USING btree ("business_id","tax_id" text_pattern_ops) WHERE "sales"."customers"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "customers_name_search_idx" ON "sales"."customers" USING gin (public.pos_fold("legal_name") gin_trgm_ops) WHERE "sales"."customers"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "sales"."customers" USING btree ("business_id","email_hash") WHERE "sales"."customers"."email_hash" is not null and "sales"."customers"."deleted_at" is null;