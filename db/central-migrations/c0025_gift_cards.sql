-- Gift cards, whose balance central keeps for every register of the business. A card is sold
-- (or topped up) as a sale line naming its code; it opens empty and its value lands with the
-- line's movement. Spending one while central answers goes through a hold: the register asks
-- central to set the amount aside (conditionally, under the card's row lock, so of two registers
-- spending the last of a card at once exactly one gets it), and the sale's movement, arriving
-- with the same idempotency key, spends the hold. A register that could not reach central spent
-- the card on its own word, within its offline limit: central takes that movement as it comes,
-- even past zero (the customer has left with the goods), and the card shows the overdraft.
ALTER TABLE payments.balances DROP CONSTRAINT balances_amount_check;
--> statement-breakpoint
ALTER TABLE payments.balances ADD CONSTRAINT balances_amount_check CHECK (amount >= 0 OR kind = 'GIFT_CARD');
--> statement-breakpoint
-- What registers have set aside of a card for a sale they are completing. HELD counts against
-- the card until it expires; SPENT once the sale's movement arrived; RELEASED when the register
-- gave it back (the sale did not complete with it, or asked again for another amount).
CREATE TABLE payments.balance_holds (
  id uuid PRIMARY KEY NOT NULL DEFAULT gen_random_uuid(),
  balance_id uuid NOT NULL REFERENCES payments.balances (id),
  register_id uuid NOT NULL REFERENCES sales.cash_registers (id),
  -- The sale is on the register only, until it completes and is pushed: no foreign key.
  sale_id uuid NOT NULL,
  amount numeric(19, 4) NOT NULL CHECK (amount > 0),
  status text NOT NULL DEFAULT 'HELD' CHECK (status IN ('HELD', 'SPENT', 'RELEASED')),
  -- The key of the balance movement that will spend it.
  idempotency_key text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  version integer DEFAULT 1 NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  deleted_at timestamptz
);
--> statement-breakpoint
CREATE INDEX balance_holds_balance_id_idx ON payments.balance_holds (balance_id) WHERE status = 'HELD';
--> statement-breakpoint
CREATE INDEX balance_holds_register_id_idx ON payments.balance_holds (register_id);
--> statement-breakpoint
CREATE INDEX balance_holds_sale_id_idx ON payments.balance_holds (sale_id);
--> statement-breakpoint
REVOKE ALL ON payments.balance_holds FROM PUBLIC;
--> statement-breakpoint
-- The card as a register may see it: found by its exact code only (a code is as good as cash).
CREATE FUNCTION sync.gift_card_answer(b payments.balances, holding_key text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT jsonb_build_object(
    'id', b.id, 'code', b.code, 'amount', b.amount, 'currency', b.currency, 'status', b.status,
    'expiresAt', b.expires_at,
    'held', coalesce((SELECT sum(h.amount) FROM payments.balance_holds h
                      WHERE h.balance_id = b.id AND h.status = 'HELD' AND h.expires_at > now()
                        AND h.idempotency_key IS DISTINCT FROM holding_key), 0))
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.gift_card_answer(payments.balances, text) FROM PUBLIC;
--> statement-breakpoint
CREATE FUNCTION sync.gift_card(card_code text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b payments.balances;
BEGIN
  IF sync.my_register() IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO b FROM payments.balances
  WHERE business_id = sync.my_business() AND code = card_code AND kind = 'GIFT_CARD' AND deleted_at IS NULL;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN sync.gift_card_answer(b, NULL);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.gift_card(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.gift_card(text) TO pos_terminal;
--> statement-breakpoint
-- Sets `wanted` of the card aside for the register's sale, or says why not (UNKNOWN, BLOCKED,
-- EXPIRED, BALANCE_TOO_LOW with what is available). The same key answers the same hold, or renews
-- it for what is asked now; the sale's other holds on the card are released first.
CREATE FUNCTION sync.hold_gift_card(card_code text, wanted numeric, hold_key text, sale uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  register uuid := sync.my_register();
  b payments.balances;
  h payments.balance_holds;
  had boolean;
  answer jsonb;
  available numeric;
BEGIN
  IF register IS NULL THEN
    RAISE EXCEPTION 'this login is not a provisioned terminal' USING ERRCODE = '42501';
  END IF;
  IF wanted IS NULL OR wanted <= 0 OR hold_key IS NULL OR length(hold_key) > 200 OR sale IS NULL THEN
    RAISE EXCEPTION 'a hold needs an amount over zero, a key and a sale' USING ERRCODE = '22023';
  END IF;
  -- The card's row lock is what makes two registers' holds take turns.
  SELECT * INTO b FROM payments.balances
  WHERE business_id = sync.my_business() AND code = card_code AND kind = 'GIFT_CARD' AND deleted_at IS NULL
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('ok', false, 'reason', 'UNKNOWN');
  END IF;
  SELECT * INTO h FROM payments.balance_holds WHERE idempotency_key = hold_key FOR UPDATE;
  had := FOUND;
  IF had AND h.register_id <> register THEN
    RAISE EXCEPTION 'that hold key is another register''s' USING ERRCODE = '42501';
  END IF;
  IF had AND h.status IN ('HELD', 'SPENT') AND h.balance_id = b.id AND h.amount = wanted THEN
    RETURN sync.gift_card_answer(b, hold_key) || jsonb_build_object('ok', true);
  END IF;
  IF had AND h.status = 'SPENT' THEN
    RAISE EXCEPTION 'that payment has already spent its gift card' USING ERRCODE = '23505';
  END IF;
  UPDATE payments.balance_holds SET status = 'RELEASED', version = version + 1, updated_at = now()
  WHERE balance_id = b.id AND sale_id = sale AND register_id = register AND status = 'HELD' AND idempotency_key <> hold_key;
  answer := sync.gift_card_answer(b, hold_key);
  IF b.status <> 'ACTIVE' THEN
    RETURN answer || jsonb_build_object('ok', false, 'reason', b.status);
  END IF;
  IF b.expires_at IS NOT NULL AND b.expires_at <= now() THEN
    RETURN answer || jsonb_build_object('ok', false, 'reason', 'EXPIRED');
  END IF;
  available := b.amount - (answer->>'held')::numeric;
  IF available < wanted THEN
    RETURN answer || jsonb_build_object('ok', false, 'reason', 'BALANCE_TOO_LOW', 'available', greatest(available, 0));
  END IF;
  -- A payment asked again after it failed, or with another amount or card in the same place: the same hold, renewed.
  IF had THEN
    UPDATE payments.balance_holds SET balance_id = b.id, sale_id = sale, amount = wanted, status = 'HELD',
      expires_at = now() + interval '1 day', version = version + 1, updated_at = now()
    WHERE id = h.id;
  ELSE
    INSERT INTO payments.balance_holds (balance_id, register_id, sale_id, amount, idempotency_key, expires_at)
    VALUES (b.id, register, sale, wanted, hold_key, now() + interval '1 day');
  END IF;
  RETURN sync.gift_card_answer(b, hold_key) || jsonb_build_object('ok', true);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.hold_gift_card(text, numeric, text, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.hold_gift_card(text, numeric, text, uuid) TO pos_terminal;
--> statement-breakpoint
CREATE FUNCTION sync.release_gift_card_hold(hold_key text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  done boolean;
BEGIN
  UPDATE payments.balance_holds SET status = 'RELEASED', version = version + 1, updated_at = now()
  WHERE idempotency_key = hold_key AND register_id = sync.my_register() AND status = 'HELD'
  RETURNING true INTO done;
  RETURN coalesce(done, false);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.release_gift_card_hold(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.release_gift_card_hold(text) TO pos_terminal;
--> statement-breakpoint
-- A card a sale line of this register sells: opened empty, once (the same code is the same id
-- everywhere, derived from the business and the code); a top-up finds it already there.
CREATE FUNCTION sync.open_gift_cards(cards jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c payments.balances;
  opened integer := 0;
  done boolean;
BEGIN
  FOR c IN SELECT * FROM jsonb_populate_recordset(NULL::payments.balances, cards) LOOP
    IF c.kind IS DISTINCT FROM 'GIFT_CARD' OR c.amount <> 0 OR c.holder_user_id IS NOT NULL OR c.business_id IS DISTINCT FROM sync.my_business() THEN
      RAISE EXCEPTION 'a register may only open an empty gift card of its own business' USING ERRCODE = '42501';
    END IF;
    INSERT INTO payments.balances SELECT c.* ON CONFLICT (id) DO NOTHING RETURNING true INTO done;
    IF coalesce(done, false) THEN
      opened := opened + 1;
    END IF;
  END LOOP;
  RETURN opened;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sync.open_gift_cards(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.open_gift_cards(jsonb) TO pos_terminal;
--> statement-breakpoint
-- Stored value spent by a sale, given by a return, or loaded by a sale line selling a gift card:
-- each movement must be the mirror of this register's payment, refund or gift-card line naming
-- the same balance, by an employee who holds the permission for it. A movement spending a hold
-- marks it SPENT.
CREATE OR REPLACE FUNCTION sync.apply_balance_movements(movements jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m payments.balance_movements;
  t payments.transactions;
  r payments.refunds;
  line_total numeric;
  line_code text;
  seller uuid;
  applied integer := 0;
  inserted uuid;
BEGIN
  FOR m IN SELECT * FROM jsonb_populate_recordset(NULL::payments.balance_movements, movements) LOOP
    IF NOT sync.owns('balance', m.balance_id) THEN
      RAISE EXCEPTION 'store credit of another business' USING ERRCODE = '42501';
    END IF;
    IF m.transaction_id IS NOT NULL AND m.refund_id IS NULL AND m.sale_item_id IS NULL THEN
      SELECT * INTO t FROM payments.transactions WHERE id = m.transaction_id AND register_id = sync.my_register();
      IF NOT FOUND OR t.balance_id IS DISTINCT FROM m.balance_id OR m.amount <> -t.amount THEN
        RAISE EXCEPTION 'a store-credit movement that is not this register''s payment from that balance' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(t.employee_id, 'sales.sell');
    ELSIF m.refund_id IS NOT NULL AND m.transaction_id IS NULL AND m.sale_item_id IS NULL THEN
      SELECT * INTO r FROM payments.refunds WHERE id = m.refund_id AND register_id = sync.my_register();
      IF NOT FOUND OR r.balance_id IS DISTINCT FROM m.balance_id OR m.amount <> r.amount THEN
        RAISE EXCEPTION 'a store-credit movement that is not this register''s refund to that balance' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(r.employee_id, 'sales.return', r.approved_by);
    ELSIF m.sale_item_id IS NOT NULL AND m.transaction_id IS NULL AND m.refund_id IS NULL THEN
      SELECT i.total, i.gift_card_code, s.employee_id INTO line_total, line_code, seller
      FROM sales.sale_items i JOIN sales.sales s ON s.id = i.sale_id
      WHERE i.id = m.sale_item_id AND s.register_id = sync.my_register() AND s.status = 'COMPLETED' AND i.deleted_at IS NULL;
      IF NOT FOUND OR line_code IS NULL OR m.amount <> line_total OR NOT EXISTS (
        SELECT 1 FROM payments.balances b WHERE b.id = m.balance_id AND b.kind = 'GIFT_CARD' AND b.code = line_code) THEN
        RAISE EXCEPTION 'a gift-card movement that is not this register''s sale line of that card' USING ERRCODE = '42501';
      END IF;
      PERFORM sync.require_permission(seller, 'sales.sell');
    ELSE
      RAISE EXCEPTION 'a store-credit movement must come from one payment, one refund or one gift-card line' USING ERRCODE = '42501';
    END IF;
    INSERT INTO payments.balance_movements SELECT m.* ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO inserted;
    IF inserted IS NOT NULL THEN
      UPDATE payments.balances SET amount = amount + m.amount, version = version + 1 WHERE id = m.balance_id;
      UPDATE payments.balance_holds SET status = 'SPENT', version = version + 1, updated_at = now()
      WHERE idempotency_key = m.idempotency_key AND status <> 'SPENT';
      applied := applied + 1;
    END IF;
  END LOOP;
  RETURN applied;
END
$$;
