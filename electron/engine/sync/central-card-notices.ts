// The card webhooks central received for this register's business (db/central-migrations/
// c0027_card_notices.sql), asked over the terminal's own login while it has charges open
// (central-ask.ts: its own short-deadline pool): a central that does not answer in a few seconds
// is unreachable for this round, and the charge is asked about by polling its provider.
import type pg from 'pg';
import { z } from 'zod';
import { CARD_PROVIDERS } from '#contract/payment-vocabulary.ts';
import type { CardNotice, CardNoticeSource } from '../ports.ts';
import { askCentral, shortCentralPool } from './central-ask.ts';

const answerSchema = z.array(
  z.object({
    reference: z.string(),
    provider: z.enum(CARD_PROVIDERS),
    at: z.string(),
  }),
);

/** Central's own limit on one question (sync.card_notices). */
export const MAX_REFERENCES = 50;

export type CentralCardNoticesOptions = { url: string; registerId: string; timeoutMs?: number };

export class CentralCardNotices implements CardNoticeSource {
  readonly #pool: pg.Pool;

  constructor(options: CentralCardNoticesOptions) {
    this.#pool = shortCentralPool(options.url, options.registerId, 'card notices', { timeoutMs: options.timeoutMs, max: 1 });
  }

  async latest(references: string[]): Promise<CardNotice[]> {
    if (references.length === 0) return [];
    const answer = await askCentral<unknown>(
      this.#pool,
      'SELECT sync.card_notices($1::text[]) AS answer',
      [references.slice(0, MAX_REFERENCES)],
      {
        // A central not yet migrated to keep webhooks (c0027) has none to tell: the providers are polled meanwhile.
        missing: 'central keeps no card webhooks yet (pos central migrate)',
      },
    );
    return answerSchema.parse(answer ?? []).map((n) => ({ ...n, at: new Date(n.at).toISOString() }));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
