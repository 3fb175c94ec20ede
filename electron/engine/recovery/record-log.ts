// PGlite's own list, in commit order, of the records the journal must hold: a trigger adds a
// row in the same transaction as the shift, sale, void, return, cash or stock movement it
// names, so no crash can keep one without the other. The start-up reconciliation reads this
// list past the checkpoint's mark, by sequence, and never by anybody's clock: a till whose clock
// jumped a day either way still journals every record a crash left behind. The list and its
// triggers are the terminal's alone (central has no journal), so they are made here at start,
// beside the checkpoint, and not by the migrations both databases share.
import { sql as dsql, type SQL } from 'drizzle-orm';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import { returnFactKey, saleFactKey, voidFactKey } from '../services/sales/fact-keys.ts';
import { shiftFactKey } from '../services/shifts/shift-facts.ts';
import { invoiceFactKey } from '../services/invoicing/invoice-facts.ts';
import { rejectedFactKey, sealedFactKey, stampedFactKey } from '../services/invoicing/stamp-facts.ts';
import { cancelAnsweredKey, cancelRequestedKey } from '../services/invoicing/cancellation-facts.ts';

/** Which record each row names, as the journal's fact kinds. */
const LOGGED: { table: string; kind: string; when: string; on: 'INSERT' | 'UPDATE OF status' }[] = [
  { table: 'sales.shifts', kind: 'shift.opened', on: 'INSERT', when: 'true' },
  { table: 'sales.shifts', kind: 'shift.closed', on: 'INSERT', when: `NEW.status = 'CLOSED'` },
  { table: 'sales.shifts', kind: 'shift.closed', on: 'UPDATE OF status', when: `NEW.status = 'CLOSED' AND OLD.status <> 'CLOSED'` },
  { table: 'sales.cash_movements', kind: 'cash.moved', on: 'INSERT', when: 'true' },
  { table: 'sales.sales', kind: 'sale.completed', on: 'INSERT', when: `NEW.status = 'COMPLETED'` },
  { table: 'sales.sales', kind: 'sale.completed', on: 'UPDATE OF status', when: `NEW.status = 'COMPLETED' AND OLD.status <> 'COMPLETED'` },
  { table: 'sales.sales', kind: 'sale.voided', on: 'INSERT', when: `NEW.status = 'VOIDED'` },
  { table: 'sales.sales', kind: 'sale.voided', on: 'UPDATE OF status', when: `NEW.status = 'VOIDED' AND OLD.status <> 'VOIDED'` },
  { table: 'sales.returns', kind: 'return.recorded', on: 'INSERT', when: 'true' },
  // The demo store's opening stock has no reference type: seed data, not a fact.
  { table: 'inventory.stock_movements', kind: 'stock.received', on: 'INSERT', when: `NEW.reference_type = 'stock.receive'` },
  { table: 'inventory.stock_movements', kind: 'stock.adjusted', on: 'INSERT', when: `NEW.reference_type = 'stock.adjust'` },
  { table: 'billing.invoices', kind: 'invoice.requested', on: 'INSERT', when: 'true' },
  { table: 'billing.stamp_attempts', kind: 'invoice.sealed', on: 'INSERT', when: 'true' },
  { table: 'billing.invoices', kind: 'invoice.stamped', on: 'UPDATE OF status', when: `NEW.status = 'ISSUED' AND OLD.status <> 'ISSUED'` },
  {
    table: 'billing.invoices',
    kind: 'invoice.rejected',
    on: 'UPDATE OF status',
    when: `NEW.status = 'REJECTED' AND OLD.status <> 'REJECTED'`,
  },
  { table: 'billing.invoice_cancellations', kind: 'invoice.cancel_requested', on: 'INSERT', when: 'true' },
  { table: 'billing.cancellation_answers', kind: 'invoice.cancel_answered', on: 'INSERT', when: 'true' },
  // A card charge as it was asked for and as each answer changed it: journaled as its latest version.
  { table: 'payments.card_charges', kind: 'payments.card_charge_saved', on: 'INSERT', when: 'true' },
  { table: 'payments.card_charges', kind: 'payments.card_charge_saved', on: 'UPDATE OF status', when: 'NEW.status <> OLD.status' },
];

/** Bump when LOGGED changes: the triggers are then made again at the next start. */
const VERSION = 6;

const triggerName = (i: number) => `pos_record_log_${i}`;

/**
 * Everything a database that held records before the list existed already has, in the order
 * facts depend on each other (a shift before its sales, sales before their returns, the close
 * last): the next reconciliation checks each against the journal once.
 */
const BACKFILL = `
INSERT INTO public.pos_record_log (kind, record_id)
SELECT kind, id FROM (
  SELECT 1 AS o, id, 'shift.opened' AS kind FROM sales.shifts
  UNION ALL SELECT 2, id, 'cash.moved' FROM sales.cash_movements
  UNION ALL SELECT 3, id, 'sale.completed' FROM sales.sales WHERE status = 'COMPLETED'
  UNION ALL SELECT 4, id, 'sale.voided' FROM sales.sales WHERE status = 'VOIDED'
  UNION ALL SELECT 5, id, 'return.recorded' FROM sales.returns
  UNION ALL SELECT 6, id, CASE reference_type WHEN 'stock.receive' THEN 'stock.received' ELSE 'stock.adjusted' END
    FROM inventory.stock_movements WHERE reference_type IN ('stock.receive', 'stock.adjust')
  UNION ALL SELECT 7, id, 'invoice.requested' FROM billing.invoices
  UNION ALL SELECT 8, id, 'invoice.sealed' FROM billing.stamp_attempts
  UNION ALL SELECT 9, id, 'invoice.stamped' FROM billing.invoices WHERE status IN ('ISSUED', 'CANCELLED')
  UNION ALL SELECT 10, id, 'invoice.rejected' FROM billing.invoices WHERE status = 'REJECTED'
  UNION ALL SELECT 11, id, 'invoice.cancel_requested' FROM billing.invoice_cancellations
  UNION ALL SELECT 12, id, 'invoice.cancel_answered' FROM billing.cancellation_answers
  UNION ALL SELECT 13, id, 'payments.card_charge_saved' FROM payments.card_charges
  UNION ALL SELECT 14, id, 'shift.closed' FROM sales.shifts WHERE status = 'CLOSED'
) records ORDER BY o, id`;

export async function ensureRecordLog(sql: SqlDatabase): Promise<void> {
  const [state] = await sql.query<{ version: number | null }>(
    `SELECT obj_description(to_regclass('public.pos_record_log'), 'pg_class')::int AS version`,
  );
  if (state?.version === VERSION) return;
  await sql.transaction(async (tx) => {
    const [fresh] = await tx.query<{ fresh: boolean }>(`SELECT to_regclass('public.pos_record_log') IS NULL AS fresh`);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS public.pos_record_log (n bigserial PRIMARY KEY, kind text NOT NULL, record_id uuid NOT NULL);
      -- What the call that made a record asked for, kept with the record so that a fact journaled
      -- after a crash still answers that call's retry, and refuses its key reused for another
      -- body: the key of the call that opened or closed a shift, and every call's fingerprint.
      CREATE TABLE IF NOT EXISTS public.pos_request_keys (fact_key text PRIMARY KEY, request_key text);
      ALTER TABLE public.pos_request_keys ADD COLUMN IF NOT EXISTS fingerprint text;
      ALTER TABLE public.pos_request_keys ALTER COLUMN request_key DROP NOT NULL;
      CREATE OR REPLACE FUNCTION public.pos_log_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO public.pos_record_log (kind, record_id) VALUES (TG_ARGV[0], NEW.id);
        RETURN NULL;
      END $$;
      ${LOGGED.map(
        (t, i) => `CREATE OR REPLACE TRIGGER ${triggerName(i)} AFTER ${t.on} ON ${t.table}
        FOR EACH ROW WHEN (${t.when}) EXECUTE FUNCTION public.pos_log_record('${t.kind}');`,
      ).join('\n')}
      COMMENT ON TABLE public.pos_record_log IS '${VERSION}';
    `);
    if (fresh!.fresh) await tx.exec(BACKFILL);
  });
}

export type LoggedRecord = { n: number; kind: string; recordId: string; factKey: string; referenceType: string | null };

/** Rows of the list after `n`, with the key their fact has (or would have) in the journal. */
export async function loggedAfter(sql: SqlSession, n: number, limit: number): Promise<LoggedRecord[]> {
  const rows = await sql.query<{ n: string; kind: string; record_id: string; key: string | null; reference_type: string | null }>(
    `
    SELECT l.n::text AS n, l.kind, l.record_id,
           coalesce(c.idempotency_key, m.idempotency_key, 'card-charge:' || k.id || ':v' || k.version) AS key, m.reference_type
    FROM public.pos_record_log l
    LEFT JOIN sales.cash_movements c ON l.kind = 'cash.moved' AND c.id = l.record_id
    LEFT JOIN inventory.stock_movements m ON l.kind LIKE 'stock.%' AND m.id = l.record_id
    -- A charge's fact is keyed by its version (card-charge-facts.ts): the one PGlite holds now.
    LEFT JOIN payments.card_charges k ON l.kind = 'payments.card_charge_saved' AND k.id = l.record_id
    WHERE l.n > $1 ORDER BY l.n LIMIT $2`,
    [n, limit],
  );
  return rows.map((r) => ({
    n: Number(r.n),
    kind: r.kind,
    recordId: r.record_id,
    factKey: factKeyOf(r.kind, r.record_id, r.key),
    referenceType: r.reference_type,
  }));
}

function factKeyOf(kind: string, id: string, key: string | null): string {
  switch (kind) {
    case 'shift.opened':
      return shiftFactKey(id, 'opened');
    case 'shift.closed':
      return shiftFactKey(id, 'closed');
    case 'sale.completed':
      return saleFactKey(id);
    case 'sale.voided':
      return voidFactKey(id);
    case 'return.recorded':
      return returnFactKey(id);
    case 'invoice.requested':
      return invoiceFactKey(id);
    case 'invoice.sealed':
      return sealedFactKey(id);
    case 'invoice.stamped':
      return stampedFactKey(id);
    case 'invoice.rejected':
      return rejectedFactKey(id);
    case 'invoice.cancel_requested':
      return cancelRequestedKey(id);
    case 'invoice.cancel_answered':
      return cancelAnsweredKey(id);
    // Cash and stock movements are journaled under their own idempotency keys, a card charge under its version's.
    default:
      return key ?? `${kind}:${id}`;
  }
}

/** What the call behind a fact asked for, as its fact carries it. */
export type RequestOfFact = { requestKey?: string; requestFingerprint?: string };

type DrizzleTx = { execute(query: SQL): Promise<unknown> };

/**
 * Keeps what a call asked for beside the record it makes, in the record's transaction: if the
 * process dies before the journal has the fact, the start-up reconciliation journals it with
 * these, and the call's retry is answered, or refused when its body changed.
 */
export async function rememberRequest(
  tx: SqlSession | DrizzleTx,
  factKey: string,
  request: { key?: string; fingerprint: string },
): Promise<void> {
  const key = request.key ?? null;
  // A drizzle transaction's `query` is its query builder, not a function: tell the two by `execute`.
  if ('execute' in tx) {
    await tx.execute(dsql`INSERT INTO public.pos_request_keys (fact_key, request_key, fingerprint) VALUES (${factKey}, ${key}, ${request.fingerprint})
      ON CONFLICT (fact_key) DO NOTHING`);
  } else {
    await tx.query(
      `INSERT INTO public.pos_request_keys (fact_key, request_key, fingerprint) VALUES ($1, $2, $3) ON CONFLICT (fact_key) DO NOTHING`,
      [factKey, key, request.fingerprint],
    );
  }
}

/**
 * The same, for a record written by a statement of its own that cannot share a transaction
 * (the sale's completion, one prepared statement): written just before it, replacing what an
 * attempt that never completed left. Calls that write are one at a time, so the last attempt
 * before the record commits is the one it holds.
 */
export async function rememberRequestBefore(sql: SqlSession, factKey: string, fingerprint: string): Promise<void> {
  await sql.query(
    `INSERT INTO public.pos_request_keys (fact_key, fingerprint) VALUES ($1, $2)
    ON CONFLICT (fact_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint`,
    [factKey, fingerprint],
  );
}

/** The key and fingerprint of the call that made a fact, when PGlite kept them. */
export async function requestOf(sql: SqlSession, factKey: string): Promise<RequestOfFact> {
  const [row] = await sql.query<{ request_key: string | null; fingerprint: string | null }>(
    `SELECT request_key, fingerprint FROM public.pos_request_keys WHERE fact_key = $1`,
    [factKey],
  );
  return {
    ...(row?.request_key ? { requestKey: row.request_key } : {}),
    ...(row?.fingerprint ? { requestFingerprint: row.fingerprint } : {}),
  };
}
