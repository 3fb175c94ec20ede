CREATE TABLE "inventory"."search_words" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"word" text NOT NULL,
	"product_uses" integer DEFAULT 0 NOT NULL,
	"variant_uses" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "search_words_word_check" CHECK ("inventory"."search_words"."word" ~ '^[a-z0-9]+$'),
	CONSTRAINT "search_words_uses_check" CHECK ("inventory"."search_words"."product_uses" >= 0 and "inventory"."search_words"."variant_uses" >= 0),
	CONSTRAINT "search_words_live_check" CHECK (("inventory"."search_words"."deleted_at" is null) = ("inventory"."search_words"."product_uses" + "inventory"."search_words"."variant_uses" > 0))
);
--> statement-breakpoint
ALTER TABLE "inventory"."search_words" ADD CONSTRAINT "search_words_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "search_words_business_id_word_key" ON "inventory"."search_words" USING btree ("business_id","word");