ALTER TABLE "sales"."receipts" DROP CONSTRAINT "receipts_status_check";--> statement-breakpoint
ALTER TABLE "sales"."receipts" ALTER COLUMN "printer_uri" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_printer_check" CHECK (("sales"."receipts"."printer_uri" is null) = ("sales"."receipts"."status" = 'UNSENT'));--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_status_check" CHECK ("sales"."receipts"."status" in ('PENDING', 'PRINTED', 'FAILED', 'UNSENT'));