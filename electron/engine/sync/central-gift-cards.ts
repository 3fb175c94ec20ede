// Central's gift-card ledger over this terminal's login: the card's balance, and holds set
// aside for a sale while it completes (db/central-migrations/c0025_gift_cards.sql). Its own
// small pool, apart from the sync loop's, so a hold never waits behind a batch being pushed;
// short deadlines, since a cashier is waiting: a central that does not answer in a few seconds
// is treated as unreachable and the register decides within its offline limit.
import pg from 'pg';
import { z } from 'zod';
import { BALANCE_STATUSES } from '#contract/payment-vocabulary.ts';
import { CentralUnreachable, type CentralGiftCard, type GiftCardHold, type GiftCardLedger } from '../ports.ts';

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
    const timeout = options.timeoutMs ?? 3_000;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: 2,
      connectionTimeoutMillis: timeout,
      idleTimeoutMillis: 30_000,
      query_timeout: timeout,
      options: '-c TimeZone=UTC',
      application_name: `pos-terminal ${options.registerId} gift cards`,
    });
    this.#pool.on('error', () => {});
    this.#pool.on('connect', (client) => client.on('error', () => {}));
  }

  async #ask<T>(text: string, values: unknown[]): Promise<T | null> {
    let rows;
    try {
      ({ rows } = await this.#pool.query<{ answer: T | null }>(text, values));
    } catch (err) {
      // An answer from central (a refusal, a bad argument) is not "unreachable": it is a fault to report.
      if (
        err instanceof Error &&
        'code' in err &&
        typeof err.code === 'string' &&
        /^[0-9A-Z]{5}$/.test(err.code) &&
        !err.code.startsWith('08') &&
        !err.code.startsWith('57')
      )
        throw err;
      throw new CentralUnreachable(`central did not answer: ${(err as Error).message}`);
    }
    return rows[0]?.answer ?? null;
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
