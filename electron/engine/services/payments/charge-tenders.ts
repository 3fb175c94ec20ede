// The card charges a sale's completion is paid with. A charge the terminal approved is money
// taken from the customer: the sale completes with it as a tender, once, or not at all; it never
// completes with another tender in its place (the customer would pay twice), nor while a charge
// is still at the terminal (it might yet be approved).
import { eq } from 'drizzle-orm';
import { cardCharges } from '#db/schema/payments.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import type { CardChargeRow } from './card-charge-facts.ts';
import { D } from './charge-amounts.ts';

/** The sale's charges the tenders name, each checked (the sale's own, approved, not yet a tender), and all the sale's charges. */
export async function chargesPaying(
  services: EngineContainer,
  saleId: string,
  tenders: readonly { chargeId?: string | undefined }[],
): Promise<{ paying: CardChargeRow[]; all: CardChargeRow[] }> {
  const charges = await services.db.select().from(cardCharges).where(eq(cardCharges.saleId, saleId));
  const named = tenders.flatMap((t, i) => (t.chargeId ? [{ id: t.chargeId, i }] : []));
  const seen = new Set<string>();
  for (const { id, i } of named) {
    const charge = charges.find((c) => c.id === id);
    if (!charge) {
      throw new EngineError('INVALID_INPUT', `tender ${i + 1}: that is no card charge of this sale`, {
        field: `tenders.${i}.chargeId`,
        reason: 'UNKNOWN_CHARGE',
      });
    }
    if (seen.has(id)) {
      throw new EngineError('INVALID_INPUT', `tender ${i + 1}: a card charge pays once`, {
        field: `tenders.${i}.chargeId`,
        reason: 'CHARGE_TWICE',
      });
    }
    seen.add(id);
    if (charge.status !== 'APPROVED') {
      throw new EngineError('CONFLICT', `tender ${i + 1}: the card charge is ${charge.status.toLowerCase()}, not approved`, {
        reason: 'CHARGE_NOT_APPROVED',
        chargeId: id,
        status: charge.status,
      });
    }
  }
  const open = charges.find((c) => !['APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED'].includes(c.status));
  if (open) {
    throw new EngineError('CONFLICT', 'a charge of this sale is still at the card terminal', { reason: 'CHARGE_OPEN', chargeId: open.id });
  }
  // The sale is still open, so none of its charges is a tender yet (transactions.card_charge_id is unique besides).
  const left = charges.find((c) => c.status === 'APPROVED' && !seen.has(c.id));
  if (left) {
    throw new EngineError('CONFLICT', 'the card terminal approved a charge of this sale that is not among its tenders', {
      reason: 'CHARGE_NOT_TENDERED',
      chargeId: left.id,
      amount: left.amount,
    });
  }
  return { paying: charges.filter((c) => seen.has(c.id)), all: charges };
}

/** A charge pays exactly its approved amount, with the method it was put on the terminal with. */
export function requireChargePays(charge: CardChargeRow, tender: { methodId: string; amount: string }, index: number): void {
  if (charge.paymentMethodId !== tender.methodId) {
    throw new EngineError('INVALID_INPUT', `tender ${index + 1}: the card charge was made with another payment method`, {
      field: `tenders.${index}.methodId`,
      reason: 'CHARGE_METHOD',
    });
  }
  if (!new D(charge.amount).equals(tender.amount)) {
    throw new EngineError('INVALID_INPUT', `tender ${index + 1}: the card charge was approved for ${new D(charge.amount).toFixed(2)}`, {
      field: `tenders.${index}.amount`,
      reason: 'CHARGE_AMOUNT',
      approved: charge.amount,
    });
  }
}
