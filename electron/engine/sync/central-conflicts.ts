// The catalog conflicts central recorded for this register's business (db/central-migrations/
// c0029_catalog_conflicts.sql), asked over the terminal's own login while a manager looks at
// them (central-ask.ts: its own short-deadline pool), and the manager's choice written there.
import type pg from 'pg';
import { z } from 'zod';
import type { CatalogConflictRecord, CatalogConflictSource } from '../ports.ts';
import { askCentral, shortCentralPool } from './central-ask.ts';

const named = z.object({ id: z.uuid(), name: z.string() });
const register = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
const row = z.record(z.string(), z.unknown());
const utc = z.string().transform((at) => new Date(at).toISOString());

const recordSchema = z.object({
  id: z.uuid(),
  table: z.enum(['inventory.products', 'inventory.product_variants']),
  rowId: z.uuid(),
  ours: row,
  theirs: row,
  theirsThen: row,
  categories: z.record(z.string(), z.string()),
  product: named.nullable(),
  register: register.nullable(),
  author: named.nullable(),
  createdAt: utc,
  resolution: z
    .object({
      choice: z.enum(['OURS', 'THEIRS', 'SUPERSEDED']),
      resolvedAt: utc,
      idempotencyKey: z.string().nullable(),
      by: named.nullable(),
      register: register.nullable(),
    })
    .nullable(),
}) satisfies z.ZodType<CatalogConflictRecord, unknown>;

const resolvedSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.enum(['RESOLVED', 'ALREADY_RESOLVED']), conflict: recordSchema }),
  z.object({ outcome: z.literal('UNKNOWN') }),
]);

/** A central not yet migrated to keep conflicts (c0029) has none to tell. */
const MISSING = { missing: 'central keeps no catalog conflicts yet (pos central migrate)' };

export type CentralConflictsOptions = { url: string; registerId: string; timeoutMs?: number };

export class CentralConflicts implements CatalogConflictSource {
  readonly #pool: pg.Pool;

  constructor(options: CentralConflictsOptions) {
    this.#pool = shortCentralPool(options.url, options.registerId, 'catalog conflicts', { timeoutMs: options.timeoutMs, max: 1 });
  }

  async open(): Promise<CatalogConflictRecord[]> {
    const answer = await askCentral<unknown>(this.#pool, 'SELECT sync.open_catalog_conflicts() AS answer', [], MISSING);
    return z.array(recordSchema).parse(answer ?? []);
  }

  async one(id: string): Promise<CatalogConflictRecord | null> {
    const answer = await askCentral<unknown>(this.#pool, 'SELECT sync.catalog_conflict($1::uuid) AS answer', [id], MISSING);
    return answer === null ? null : recordSchema.parse(answer);
  }

  async resolve(request: Parameters<CatalogConflictSource['resolve']>[0]): ReturnType<CatalogConflictSource['resolve']> {
    const answer = await askCentral<unknown>(
      this.#pool,
      'SELECT sync.resolve_catalog_conflict($1::uuid, $2, $3::uuid, $4) AS answer',
      [request.conflictId, request.keep, request.employeeId, request.key],
      MISSING,
    );
    return resolvedSchema.parse(answer);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
