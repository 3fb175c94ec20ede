// Which sale a customer's receipt code and total point at, and whether its customer may invoice
// it here. Nothing is said of a sale until the total matches: a wrong total and a code that does
// not exist get the same answer, so receipts cannot be probed. What is said then is the store's
// name and the day, never what was bought or by whom.
import type { SqlSession } from '#db/sql-session.ts';
import { fiscalSecretsConfigured } from '#engine/security/fiscal-secrets.ts';
import { localDay } from '#engine/services/invoicing/credit-note-cfdi.ts';
import { coveringInvoice } from '#engine/services/invoicing/sale-invoice-fact.ts';
import { businessFiscalRoot } from '../fiscal/business-secrets.ts';
import { lastDayToSelfInvoice, type ReceiptRef, totalMatches } from './self-invoice-rules.ts';

export type FoundSale = {
  id: string;
  businessId: string;
  branchId: string;
  total: string;
  currency: string;
  completedAt: Date;
  timezone: string;
  /** The business's name and the branch's, as the customer knows the store. */
  store: string;
};

export type Lookup = { kind: 'found'; sale: FoundSale } | { kind: 'no-match' } | { kind: 'ambiguous' };

type Row = {
  id: string;
  business_id: string;
  branch_id: string;
  total: string;
  currency: string;
  completed_at: Date;
  timezone: string;
  business_name: string;
  branch_name: string;
};

/**
 * The completed sale with this receipt code and this total, among every branch's (or `branchId`'s
 * only). Register codes are unique within a branch, so two branches may print the same code:
 * the total tells them apart, and when it does not either, the answer is 'ambiguous'.
 */
export async function findSale(sql: SqlSession, ref: ReceiptRef, total: string, branchId: string | null): Promise<Lookup> {
  const rows = await sql.query<Row>(
    `SELECT s.id, s.business_id, s.branch_id, s.total::text AS total, s.currency, s.completed_at, b.timezone,
            u.name AS business_name, b.name AS branch_name
     FROM sales.cash_registers r JOIN sales.sales s ON s.register_id = r.id
       JOIN business.branches b ON b.id = s.branch_id JOIN business.businesses u ON u.id = s.business_id
     WHERE r.code = $1 AND s.receipt_number = $2 AND s.status = 'COMPLETED' AND s.completed_at IS NOT NULL
       AND ($3::uuid IS NULL OR s.branch_id = $3::uuid)`,
    [ref.registerCode, ref.number, branchId],
  );
  const matching = rows.filter((r) => totalMatches(total, r.total));
  if (matching.length === 0) return { kind: 'no-match' };
  if (matching.length > 1) return { kind: 'ambiguous' };
  const r = matching[0]!;
  return {
    kind: 'found',
    sale: {
      id: r.id,
      businessId: r.business_id,
      branchId: r.branch_id,
      total: r.total,
      currency: r.currency,
      completedAt: new Date(r.completed_at),
      timezone: r.timezone,
      store: r.business_name === r.branch_name ? r.business_name : `${r.business_name} · ${r.branch_name}`,
    },
  };
}

export type NotInvoiceable =
  | { reason: 'NOT_OFFERED' }
  | { reason: 'ALREADY_INVOICED'; series: string; folio: string }
  | { reason: 'IN_GLOBAL_INVOICE' }
  | { reason: 'OUT_OF_WINDOW'; lastDay: string };

export type InvoiceableOptions = { dataDir: string; now: Date; daysAfterMonth: number };

/** Why the customer may not invoice this sale here, or null when they may. */
export async function whyNotInvoiceable(sql: SqlSession, sale: FoundSale, opts: InvoiceableOptions): Promise<NotInvoiceable | null> {
  // Central stamps only for a business whose CSD and PAC account it holds, from a Mexican profile.
  if (!fiscalSecretsConfigured(businessFiscalRoot(opts.dataDir, sale.businessId))) return { reason: 'NOT_OFFERED' };
  const [profile] = await sql.query(
    `SELECT 1 FROM billing.fiscal_profiles WHERE branch_id = $1 AND country = 'MX' AND deleted_at IS NULL LIMIT 1`,
    [sale.branchId],
  );
  if (!profile) return { reason: 'NOT_OFFERED' };
  const covered = await coveringInvoice(sql, sale.id);
  if (covered?.kind === 'GLOBAL') return { reason: 'IN_GLOBAL_INVOICE' };
  if (covered) return { reason: 'ALREADY_INVOICED', series: covered.series, folio: covered.folio };
  const lastDay = lastDayToSelfInvoice(localDay(sale.completedAt, sale.timezone), opts.daysAfterMonth);
  if (localDay(opts.now, sale.timezone) > lastDay) return { reason: 'OUT_OF_WINDOW', lastDay };
  return null;
}
