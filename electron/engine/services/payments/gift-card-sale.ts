// The gift cards a sale loads: each line naming a card's code gives that card the line's total
// when the sale completes (a card the register has not seen opens empty first; one it knows is
// topped up). Built with the sale's other rows, written by the same statement.
import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { balanceMovements, balances } from '#db/schema/payments.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { giftCardExpiry, giftCardId, maskedCode } from './gift-cards.ts';

type Line = { id: string; total: string; giftCardCode: string | null };

export type SoldGiftCards = {
  /** Each card as the register knew it before the sale (a new one empty); isNew: not in its database yet. */
  cards: { id: string; row: JsonRow; isNew: boolean }[];
  movements: JsonRow[];
};

export async function soldGiftCards(
  services: EngineContainer,
  sale: { saleId: string; businessId: string; currency: string; items: Line[]; employeeId: string; validMonths: number | null; now: Date },
): Promise<SoldGiftCards> {
  const lines = sale.items.filter((i): i is Line & { giftCardCode: string } => i.giftCardCode !== null);
  if (lines.length === 0) return { cards: [], movements: [] };
  const ids = lines.map((l) => giftCardId(sale.businessId, l.giftCardCode));
  const known = await services.db
    .select()
    .from(balances)
    .where(and(eq(balances.businessId, sale.businessId), inArray(balances.id, ids)));
  const cards: SoldGiftCards['cards'] = [];
  const movements: JsonRow[] = [];
  for (const line of lines) {
    const id = giftCardId(sale.businessId, line.giftCardCode);
    const masked = maskedCode(line.giftCardCode);
    const existing = known.find((b) => b.id === id);
    if (existing && (existing.kind !== 'GIFT_CARD' || existing.currency !== sale.currency))
      throw new EngineError('CONFLICT', `the code of ${masked} belongs to something other than a gift card in this currency`, {
        reason: 'GIFT_CARD_CODE_TAKEN',
      });
    if (existing && (existing.status !== 'ACTIVE' || (existing.expiresAt && existing.expiresAt <= sale.now)))
      throw new EngineError(
        'CONFLICT',
        `the gift card ${masked} can no longer be topped up (${existing.status === 'BLOCKED' ? 'blocked' : 'expired'})`,
        {
          reason: existing.status === 'BLOCKED' ? 'GIFT_CARD_BLOCKED' : 'GIFT_CARD_EXPIRED',
        },
      );
    if (!cards.some((c) => c.id === id)) {
      const row = existing
        ? toRow(balances, existing)
        : toRow(balances, {
            id,
            businessId: sale.businessId,
            holderUserId: null,
            kind: 'GIFT_CARD',
            code: line.giftCardCode,
            holderName: null,
            amount: '0',
            currency: sale.currency,
            status: 'ACTIVE',
            expiresAt: giftCardExpiry(sale.now, sale.validMonths),
            version: 1,
            createdAt: sale.now,
            updatedAt: sale.now,
            deletedAt: null,
          });
      cards.push({ id, row, isNew: !existing });
    }
    movements.push(
      toRow(balanceMovements, {
        id: uuidv7(),
        balanceId: id,
        transactionId: null,
        refundId: null,
        saleItemId: line.id,
        employeeId: sale.employeeId,
        amount: line.total,
        reason: existing ? 'gift card topped up' : 'gift card sold',
        idempotencyKey: `${sale.saleId}:gift-card:${line.id}`,
        occurredAt: sale.now,
        createdAt: sale.now,
        updatedAt: sale.now,
        deletedAt: null,
      }),
    );
  }
  return { cards, movements };
}
