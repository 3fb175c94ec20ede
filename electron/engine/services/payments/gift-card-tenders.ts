// Paying with a gift card. While central answers, it is the authority: before the sale is
// written, each gift-card tender's amount is set aside at central (a hold, under the card's row
// lock there, so of two registers spending the last of a card at once exactly one gets it); the
// sale's movement, pushed later with the same key, spends the hold. A register that cannot reach
// central (or has none) decides on what it knows of the card, and, when it is cut off from a
// central it normally has, only up to the store's offline limit per card per business day.
import { Decimal } from 'decimal.js';
import { and, eq, inArray } from 'drizzle-orm';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { balances, paymentMethods } from '#db/schema/payments.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { CallInput } from '#contract/calls.ts';
import type { CallContext } from '#engine/call-context.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { CentralUnreachable, type CentralGiftCard, type GiftCardHold } from '#engine/ports.ts';
import { requireTerminal } from '#engine/container.ts';
import { giftCardCode, giftCardId, maskedCode, withinOfflineLimit } from './gift-cards.ts';

type BalanceRow = typeof balances.$inferSelect;

/** The key of the movement a tender's hold becomes: the same one checkout gives that movement. */
export const tenderMovementKey = (saleId: string, index: number) => `${saleId}:balance:${index + 1}`;

/** What central said of each gift-card tender (by its place in the payment), or that it could not be asked. */
export type GiftCardAnswers = Map<number, GiftCardHold | 'UNREACHABLE'>;

export function requireGiftCardCode(raw: string | undefined, field: string): string {
  const code = raw === undefined ? null : giftCardCode(raw);
  if (!code) throw new EngineError('INVALID_INPUT', 'that is not a gift card code', { field, reason: 'GIFT_CARD_CODE' });
  return code;
}

/**
 * Asks central to set each gift-card tender's amount aside, before the sale waits in the write
 * queue (a slow central must not hold up the register's other writes). Nothing is asked on a
 * terminal with no central.
 */
export async function holdGiftCards(ctx: CallContext, input: CallInput<'sales.complete'>): Promise<GiftCardAnswers> {
  const answers: GiftCardAnswers = new Map();
  const ledger = ctx.services.giftCards;
  if (!ledger) return answers;
  const terminal = requireTerminal(ctx.services);
  const ids = [...new Set(input.tenders.map((t) => t.methodId))];
  const cards = await ctx.services.db
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.businessId, terminal.businessId), inArray(paymentMethods.id, ids), eq(paymentMethods.kind, 'GIFT_CARD')));
  for (const [i, t] of input.tenders.entries()) {
    if (!cards.some((m) => m.id === t.methodId) || t.amount === undefined) continue;
    const code = requireGiftCardCode(t.balanceCode, `tenders.${i}.balanceCode`);
    try {
      answers.set(i, await ledger.hold({ code, amount: t.amount, key: tenderMovementKey(input.saleId, i), saleId: input.saleId }));
    } catch (err) {
      if (!(err instanceof CentralUnreachable)) throw err;
      answers.set(i, 'UNREACHABLE');
    }
  }
  return answers;
}

/** Gives back the holds a payment that did not complete had set aside. */
export async function releaseGiftCardHolds(services: EngineContainer, saleId: string, answers: GiftCardAnswers): Promise<void> {
  const ledger = services.giftCards;
  if (!ledger) return;
  for (const [i, answer] of answers) if (answer !== 'UNREACHABLE' && answer.ok) await ledger.release(tenderMovementKey(saleId, i));
}

/** The register's row of a card central described, as it stands there now (an overdrawn card shows as empty here). */
export function cardRowFromCentral(businessId: string, card: CentralGiftCard, now: Date): JsonRow {
  const amount = Decimal.max(card.amount, 0).toFixed(4);
  return toRow(balances, {
    id: card.id,
    businessId,
    holderUserId: null,
    kind: 'GIFT_CARD',
    code: card.code,
    holderName: null,
    amount,
    currency: card.currency,
    status: card.status,
    expiresAt: card.expiresAt ? new Date(card.expiresAt) : null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
}

/**
 * Writes the gift cards a sale touches into this register's database before the sale's own
 * statement: cards it sells that it has never seen, and cards central just vouched for.
 * `refresh`: take central's word for the amount and state (a live payment); a replay only adds what is missing.
 */
export async function upsertGiftCards(sql: SqlSession, rows: JsonRow[], refresh: boolean): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO payments.balances SELECT * FROM jsonb_populate_recordset(NULL::payments.balances, $1::jsonb)
     ON CONFLICT (id) DO ${
       refresh
         ? `UPDATE SET amount = EXCLUDED.amount, status = EXCLUDED.status, expires_at = EXCLUDED.expires_at,
              version = payments.balances.version + 1, updated_at = EXCLUDED.updated_at
            WHERE payments.balances.kind = 'GIFT_CARD'`
         : 'NOTHING'
     }`,
    [JSON.stringify(rows)],
  );
}

async function localCard(services: EngineContainer, businessId: string, code: string): Promise<BalanceRow | null> {
  const [row] = await services.db
    .select()
    .from(balances)
    .where(and(eq(balances.id, giftCardId(businessId, code)), eq(balances.kind, 'GIFT_CARD')));
  return row && !row.deletedAt ? row : null;
}

function refusal(code: string, hold: Exclude<GiftCardHold, { ok: true }>): EngineError {
  const card = maskedCode(code);
  switch (hold.reason) {
    case 'UNKNOWN':
      return new EngineError('NOT_FOUND', `no gift card ${card} in this business`, { what: 'giftCard', code: card });
    case 'BLOCKED':
      return new EngineError('CONFLICT', `the gift card ${card} is blocked`, { reason: 'GIFT_CARD_BLOCKED' });
    case 'EXPIRED':
      return new EngineError('CONFLICT', `the gift card ${card} has expired`, { reason: 'GIFT_CARD_EXPIRED' });
    case 'BALANCE_TOO_LOW':
      return new EngineError('CONFLICT', `the gift card ${card} has ${new Decimal(hold.available).toFixed(2)} available now`, {
        reason: 'BALANCE_TOO_LOW',
        available: new Decimal(hold.available).toFixed(2),
      });
  }
}

/** What this register took of the card on this business day, in completed sales. */
async function takenToday(sql: SqlSession, balanceId: string, businessDate: string): Promise<string> {
  const [row] = await sql.query<{ taken: string | null }>(
    `SELECT sum(t.amount)::text AS taken FROM payments.transactions t JOIN sales.sales s ON s.id = t.sale_id
     WHERE t.balance_id = $1 AND s.business_date = $2 AND s.status = 'COMPLETED'`,
    [balanceId, businessDate],
  );
  return row?.taken ?? '0';
}

export type GiftCardTender = { balanceId: string; card: JsonRow | null };

/**
 * The card a gift-card tender spends, checked: central's hold when it answered, else this
 * register's own knowledge (and the offline limit when central was there but could not be
 * reached). `card` is the row to write before the sale when central vouched for it.
 */
export async function giftCardTender(
  services: EngineContainer,
  at: { businessId: string; currency: string; businessDate: string; offlineLimit: string },
  tender: { index: number; code: string | undefined; amount: string },
  answer: GiftCardHold | 'UNREACHABLE' | undefined,
): Promise<GiftCardTender> {
  const code = requireGiftCardCode(tender.code, `tenders.${tender.index}.balanceCode`);
  const wrongCurrency = (currency: string) =>
    currency !== at.currency ? new EngineError('CONFLICT', 'that gift card is in another currency', { reason: 'CURRENCY' }) : null;
  if (answer && answer !== 'UNREACHABLE') {
    if (!answer.ok) throw refusal(code, answer);
    const problem = wrongCurrency(answer.card.currency);
    if (problem) throw problem;
    return { balanceId: answer.card.id, card: cardRowFromCentral(at.businessId, answer.card, services.now()) };
  }
  const card = await localCard(services, at.businessId, code);
  const masked = maskedCode(code);
  if (!card) {
    throw answer === 'UNREACHABLE'
      ? new EngineError('CONFLICT', `central cannot be reached and this register does not know the gift card ${masked}`, {
          reason: 'GIFT_CARD_OFFLINE_UNKNOWN',
        })
      : new EngineError('NOT_FOUND', `no gift card ${masked} in this store`, { what: 'giftCard', code: masked });
  }
  const problem = wrongCurrency(card.currency);
  if (problem) throw problem;
  if (card.status !== 'ACTIVE')
    throw new EngineError('CONFLICT', `the gift card ${masked} is ${card.status === 'BLOCKED' ? 'blocked' : 'expired'}`, {
      reason: card.status === 'BLOCKED' ? 'GIFT_CARD_BLOCKED' : 'GIFT_CARD_EXPIRED',
    });
  if (card.expiresAt && card.expiresAt.getTime() <= services.now().getTime())
    throw new EngineError('CONFLICT', `the gift card ${masked} has expired`, { reason: 'GIFT_CARD_EXPIRED' });
  if (new Decimal(card.amount).lessThan(tender.amount))
    throw new EngineError('CONFLICT', `the gift card ${masked} has ${new Decimal(card.amount).toFixed(2)} available`, {
      reason: 'BALANCE_TOO_LOW',
      available: new Decimal(card.amount).toFixed(2),
    });
  if (answer === 'UNREACHABLE') {
    const limit = withinOfflineLimit(await takenToday(services.sql, card.id, at.businessDate), tender.amount, at.offlineLimit);
    if (!limit.ok)
      throw new EngineError(
        'CONFLICT',
        `central cannot be reached: this register may take only ${limit.left} more of the gift card ${masked} today`,
        { reason: 'GIFT_CARD_OFFLINE_LIMIT', available: limit.left },
      );
  }
  return { balanceId: card.id, card: null };
}
