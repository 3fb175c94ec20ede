// One fiscal pass for one business at central: the globals that are due and the credit notes of
// returns no register could credit (central-credit-notes.ts), then every PENDING
// invoice stamped and every cancellation asked for sent, with that business's CSD and PAC
// account. The registers that sync with central never stamp: their invoices wait PENDING here,
// and the answers go back down with their next pull.
//
// One pass per business at a time, whichever worker runs it: two passes at once would each seal
// an attempt for the same invoice, and two CFDIs for one sale is what must never happen. A
// session advisory lock on a connection of its own says who is on it; a worker that dies drops
// its connection and so its lock.
import type pg from 'pg';
import type { SqlDatabase } from '#db/sql-session.ts';
import { loadCsd, loadPacConfig, pacClientFor } from '#engine/security/fiscal-secrets.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { centralFiscalServices } from '#engine/services/invoicing/fiscal-services.ts';
import { type StampHalt, type StampOutcome, stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessFiscalRoot } from './business-secrets.ts';
import { type CentralCreditNote, creditUncoveredReturns } from './central-credit-notes.ts';
import { type IssuedGlobal, issueDueGlobals } from './central-globals.ts';

export type FiscalDeps = {
  pool: pg.Pool;
  sql: SqlDatabase;
  dataDir: string;
  now: () => Date;
  /** How long after a period ends its sales are waited for before its global is made. */
  globalSettleMinutes: number;
  pacTimeoutMs?: number;
};

export type FiscalPassResult =
  | { businessId: string; ran: false }
  | {
      businessId: string;
      ran: true;
      globals: IssuedGlobal[];
      creditNotes: CentralCreditNote[];
      stamped: StampOutcome[];
      cancellations: number;
      halted: StampHalt | null;
    };

/** Passes over a business's invoices until none is left PENDING or the PAC halts the pass. */
const PASSES_PER_JOB = 10;

export async function fiscalPass(deps: FiscalDeps, businessId: string): Promise<FiscalPassResult> {
  const client = await deps.pool.connect();
  const lockKey = `pos.fiscal:${businessId}`;
  try {
    const [{ locked }] = (
      await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockKey])
    ).rows as [{ locked: boolean }];
    if (!locked) return { businessId, ran: false };
    try {
      return await underLock(deps, businessId);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
    }
  } finally {
    client.release();
  }
}

async function underLock(deps: FiscalDeps, businessId: string): Promise<FiscalPassResult> {
  const root = businessFiscalRoot(deps.dataDir, businessId);
  // Read at each pass: a CSD renewed with `pos central set-csd` is used from the next one.
  const secrets = { csd: loadCsd(root), pac: pacClientFor(loadPacConfig(root), deps.pacTimeoutMs) };
  const services = centralFiscalServices(deps.sql, deps.now);
  const globals = await issueDueGlobals(deps.sql, { businessId, now: deps.now(), settleMinutes: deps.globalSettleMinutes });
  const creditNotes = await creditUncoveredReturns(deps.sql, { businessId, now: deps.now() });
  const stamped: StampOutcome[] = [];
  let halted: StampHalt | null = null;
  for (let i = 0; i < PASSES_PER_JOB; i++) {
    const pass = await stampPending(services, { ...secrets, businessId, now: deps.now() });
    stamped.push(...pass.outcomes);
    halted = pass.halted;
    // The page was not full, or the PAC stopped: nothing more to do in this job.
    if (halted || !pass.more || pass.outcomes.every((o) => o.status === 'PENDING')) break;
  }
  let cancellations = 0;
  if (!halted) {
    const cancelled = await cancelPending(services, { ...secrets, businessId });
    cancellations = cancelled.outcomes.length;
    halted = cancelled.halted;
  }
  return { businessId, ran: true, globals, creditNotes, stamped, cancellations, halted };
}
