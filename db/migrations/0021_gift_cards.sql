ALTER TABLE "sales"."sale_items" ADD COLUMN "gift_card_code" text;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD COLUMN "sale_item_id" uuid;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD CONSTRAINT "balance_movements_sale_item_id_sale_items_id_fk" FOREIGN KEY ("sale_item_id") REFERENCES "sales"."sale_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "balance_movements_sale_item_id_idx" ON "payments"."balance_movements" USING btree ("sale_item_id");--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_gift_card_code_check" CHECK ("sales"."sale_items"."gift_card_code" ~ '^[A-Z0-9]{6,32}$');