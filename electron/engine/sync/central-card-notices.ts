// The card webhooks central received for this register's business (db/central-migrations/
// c0027_card_notices.sql), asked over the terminal's own login while it has charges open. Its own
// small pool, apart from the sync loop's, so the question is never queued behind a batch being
// pushed; short deadlines, since a charge is waiting: a central that does not answer in a few
// seconds is unreachable for this round, and the charge is asked about by polling its provider.
import pg from 'pg';
import { z } from 'zod';
import { CARD_PROVIDERS } from '#contract/payment-vocabulary.ts';
import { CentralUnreachable, type CardNotice, type CardNoticeSource } from '../ports.ts';

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
    const timeout = options.timeoutMs ?? 3_000;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: 1,
      connectionTimeoutMillis: timeout,
      idleTimeoutMillis: 30_000,
      query_timeout: timeout,
      options: '-c TimeZone=UTC',
      application_name: `pos-terminal ${options.registerId} card notices`,
    });
    this.#pool.on('error', () => {});
    this.#pool.on('connect', (client) => client.on('error', () => {}));
  }

  async latest(references: string[]): Promise<CardNotice[]> {
    if (references.length === 0) return [];
    let rows;
    try {
      ({ rows } = await this.#pool.query<{ answer: unknown }>('SELECT sync.card_notices($1::text[]) AS answer', [
        references.slice(0, MAX_REFERENCES),
      ]));
    } catch (err) {
      // An answer from central (a refusal, a bad argument) is a fault to report, not an outage.
      const code = (err as { code?: unknown }).code;
      // A central not yet migrated to keep webhooks (c0027) has none to tell: the providers are polled meanwhile.
      if (code === '42883') throw new CentralUnreachable('central keeps no card webhooks yet (pos central migrate)');
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57')) throw err;
      throw new CentralUnreachable(`central did not answer: ${(err as Error).message}`);
    }
    return answerSchema.parse(rows[0]?.answer ?? []).map((n) => ({ ...n, at: new Date(n.at).toISOString() }));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
