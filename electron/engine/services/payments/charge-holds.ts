// A card charge holds its sale's cart while it may still take the customer's money (open at the
// terminal) or has taken it and has neither paid the sale (a tender names it) nor been given back
// (a refund names it): what the card was charged for must not change under it. The way out is to
// pay with it, cancel it while open (payments.cancelCharge), or void the sale, which gives an
// approved charge back whole first.
import type { SqlSession } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';

export type HoldingCharge = { id: string; status: string; amount: string };

// Asked before every change to a cart (each scanned line).
const HOLDING = `SELECT k.id, k.status::text, k.amount::text FROM payments.card_charges k
  WHERE k.sale_id = $1::uuid AND k.status NOT IN ('DECLINED', 'CANCELLED', 'EXPIRED')
    AND NOT EXISTS (SELECT 1 FROM payments.transactions t WHERE t.card_charge_id = k.id)
    AND NOT EXISTS (SELECT 1 FROM payments.refunds r WHERE r.card_charge_id = k.id)
  ORDER BY (k.status = 'APPROVED'), k.created_at`;

/** The sale's charges that hold it: open ones before approved ones. */
export const chargesHoldingSale = (sql: SqlSession, saleId: string): Promise<HoldingCharge[]> =>
  sql.query<HoldingCharge>(HOLDING, [saleId]);

/** Refuses a change to the cart (its lines, amounts, discounts, parking it) while a charge holds it. */
export async function requireCartFree(sql: SqlSession, saleId: string): Promise<void> {
  const [charge] = await chargesHoldingSale(sql, saleId);
  if (!charge) return;
  throw new EngineError(
    'CONFLICT',
    charge.status === 'APPROVED'
      ? 'the card terminal took a charge for this sale as it stands: pay with it, or void the sale to give it back'
      : 'a charge of this sale is at the card terminal: wait for its answer or cancel it before changing the sale',
    { reason: 'CHARGE_HOLDS_CART', chargeId: charge.id, status: charge.status, amount: charge.amount },
  );
}
