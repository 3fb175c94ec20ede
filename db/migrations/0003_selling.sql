ALTER TABLE "sales"."cash_movements" DROP CONSTRAINT "cash_movements_kind_check";--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" DROP CONSTRAINT "cash_movements_amount_check";--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD COLUMN "line_discount_rate" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD COLUMN "line_discount_fixed" numeric(19, 4);--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD COLUMN "sale_discount_rate" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD COLUMN "sale_discount_fixed" numeric(19, 4);--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD COLUMN "sale_discount_approved_by" uuid;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD COLUMN "report" jsonb;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_sale_discount_approved_by_employees_id_fk" FOREIGN KEY ("sale_discount_approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_sale_discount_approved_by_idx" ON "sales"."sales" USING btree ("sale_discount_approved_by");--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_kind_check" CHECK ("sales"."cash_movements"."kind" in ('PAY_IN', 'PAY_OUT', 'DROP', 'NO_SALE'));--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_amount_check" CHECK (("sales"."cash_movements"."kind" = 'NO_SALE' and "sales"."cash_movements"."amount" = 0) or ("sales"."cash_movements"."kind" <> 'NO_SALE' and "sales"."cash_movements"."amount" > 0));--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_line_discount_check" CHECK ("sales"."sale_items"."line_discount_rate" is null or "sales"."sale_items"."line_discount_fixed" is null);--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_sale_discount_check" CHECK ("sales"."sales"."sale_discount_rate" is null or "sales"."sales"."sale_discount_fixed" is null);