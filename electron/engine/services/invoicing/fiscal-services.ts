// What a stamping or cancelling pass writes through. On a register that works alone: its
// PGlite, its journal (so a power cut loses no answer and a later central gets the same) and its
// write queue. At central: central's PostgreSQL, which is the record itself, so there is
// nothing to journal; the registers pull the answers like any other change.
import type { SqlDatabase } from '#db/sql-session.ts';
import type { WriteQueue } from '#engine/write-queue.ts';

export type FiscalServices = {
  sql: SqlDatabase;
  journal: { append(kind: string, idempotencyKey: string, payload: unknown): unknown };
  writes: WriteQueue;
  now(): Date;
};

/** Central's writer: its database is the record, and each answer is one statement or transaction already. */
export const centralFiscalServices = (sql: SqlDatabase, now: () => Date): FiscalServices => ({
  sql,
  journal: { append: () => undefined },
  writes: (work) => work(),
  now,
});
