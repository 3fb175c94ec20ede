-- A completed or voided sale is final, and so are its lines: the receipt and the journal hold
-- them as printed. Lines of an open or parked sale are the cart and change freely.
CREATE OR REPLACE FUNCTION public.pos_refuse_final_sale_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM sales.sales WHERE id = NEW.sale_id AND status IN ('COMPLETED', 'VOIDED')) THEN
    RAISE EXCEPTION 'sales.sale_items of a completed or voided sale are immutable (sale %); record a return instead',
      NEW.sale_id
      USING ERRCODE = 'PS002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER pos_immutable BEFORE INSERT OR UPDATE ON sales.sale_items FOR EACH ROW
  EXECUTE FUNCTION public.pos_refuse_final_sale_lines();
