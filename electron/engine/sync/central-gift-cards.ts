// Central's gift-card ledger over this terminal's login: the card's balance, and holds set
// aside for a sale while it completes (db/central-migrations/c0025_gift_cards.sql), over its own
// short-deadline pool (central-ask.ts), since a cashier is waiting: a central that does not
// answer in a few seconds is treated as unreachable and the register decides within its offline limit.
import type pg from 'pg';
import { z } from 'zod';
import { BALANCE_STATUSES } from '#contract/payment-vocabulary.ts';
import { CentralUnreachable, type CentralGiftCard, type GiftCardHold, type GiftCardLedger } from '../ports.ts';
import { askCentral, shortCentralPool } from './central-ask.ts';

const money = z.union([z.string(), z.number()]).transform((v) => String(v));

const cardSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  amount: money,
  held: money,
  currency: z.string(),
  status: z.enum(BALANCE_STATUSES),
  expiresAt: z.string().nullable(),
});

const holdSchema = cardSchema.partial().extend({
  ok: z.boolean(),
  reason: z.enum(['UNKNOWN', 'BLOCKED', 'EXPIRED', 'BALANCE_TOO_LOW']).optional(),
  available: money.optional(),
});

const asCard = (row: z.output<typeof cardSchema>): CentralGiftCard => ({
  ...row,
  expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
});

export type CentralGiftCardsOptions = { url: string; registerId: string; timeoutMs?: number };

export class CentralGiftCards implements GiftCardLedger {
  readonly #pool: pg.Pool;

  constructor(options: CentralGiftCardsOptions) {
    this.#pool = shortCentralPool(options.url, options.registerId, 'gift cards', { timeoutMs: options.timeoutMs, max: 2 });
  }

  #ask<T>(text: string, values: unknown[]): Promise<T | null> {
    return askCentral<T>(this.#pool, text, values);
  }

  async card(code: string): Promise<CentralGiftCard | null> {
    const answer = await this.#ask<unknown>('SELECT sync.gift_card($1) AS answer', [code]);
    return answer === null ? null : asCard(cardSchema.parse(answer));
  }

  async hold(request: { code: string; amount: string; key: string; saleId: string }): Promise<GiftCardHold> {
    const raw = await this.#ask<unknown>('SELECT sync.hold_gift_card($1, $2::numeric, $3, $4::uuid) AS answer', [
      request.code,
      request.amount,
      request.key,
      request.saleId,
    ]);
    const answer = holdSchema.parse(raw);
    if (answer.reason === 'UNKNOWN') return { ok: false, reason: 'UNKNOWN', card: null };
    const card = asCard(cardSchema.parse(answer));
    if (answer.ok) return { ok: true, card };
    if (answer.reason === 'BALANCE_TOO_LOW') return { ok: false, reason: 'BALANCE_TOO_LOW', card, available: answer.available ?? '0' };
    return { ok: false, reason: answer.reason === 'BLOCKED' ? 'BLOCKED' : 'EXPIRED', card };
  }

  async release(key: string): Promise<void> {
    try {
      await this.#ask('SELECT sync.release_gift_card_hold($1) AS answer', [key]);
    } catch (err) {
      if (!(err instanceof CentralUnreachable)) throw err;
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
