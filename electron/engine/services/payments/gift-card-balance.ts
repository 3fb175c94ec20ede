// What a gift card holds, for the customer who asks and the cashier about to take it: central's
// word when it answers (less what other registers are setting aside right now), else what this
// register last knew of the card, said to be so.
import { Decimal } from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import type { CallOutput } from '#contract/calls.ts';
import { balances } from '#db/schema/payments.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { CentralUnreachable } from '#engine/ports.ts';
import { giftCardId, maskedCode } from './gift-cards.ts';

export async function giftCardBalance(services: EngineContainer, businessId: string, code: string): Promise<CallOutput<'sales.giftCard'>> {
  const now = services.now();
  const expired = (at: string | null) => at !== null && Date.parse(at) <= now.getTime();
  if (services.giftCards) {
    try {
      const card = await services.giftCards.card(code);
      if (!card)
        throw new EngineError('NOT_FOUND', `no gift card ${maskedCode(code)} in this business`, {
          what: 'giftCard',
          code: maskedCode(code),
        });
      const available = Decimal.max(new Decimal(card.amount).minus(card.held), 0);
      return {
        code: card.code,
        amount: new Decimal(card.amount).toFixed(4),
        available: available.toFixed(4),
        currency: card.currency,
        status: card.status === 'ACTIVE' && expired(card.expiresAt) ? 'EXPIRED' : card.status,
        expiresAt: card.expiresAt,
        source: 'CENTRAL',
      };
    } catch (err) {
      if (!(err instanceof CentralUnreachable)) throw err;
    }
  }
  const [card] = await services.db
    .select()
    .from(balances)
    .where(and(eq(balances.id, giftCardId(businessId, code)), eq(balances.kind, 'GIFT_CARD')));
  if (!card || card.deletedAt)
    throw new EngineError('NOT_FOUND', `no gift card ${maskedCode(code)} known to this register`, {
      what: 'giftCard',
      code: maskedCode(code),
    });
  const expiresAt = card.expiresAt?.toISOString() ?? null;
  return {
    code: card.code,
    amount: card.amount,
    available: card.amount,
    currency: card.currency,
    status: card.status === 'ACTIVE' && expired(expiresAt) ? 'EXPIRED' : card.status,
    expiresAt,
    source: 'REGISTER',
  };
}
