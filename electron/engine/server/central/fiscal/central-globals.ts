// The facturas globales central issues for the branches whose registers sync with it: for each
// period that is over (by the branch's fiscal profile's periodicity, in the branch's time zone)
// and holds paid sales no CFDI covers, one global, numbered in the profile's series for central
// (A-GLOBAL). A register offline at the end of a period pushes its sales late: the settle time
// gives it a while, and its sales that still come after are covered by another global of the
// same period at the next pass. Only this month's and last month's sales are looked at: a
// global for an older period is a matter for an accountant, not a schedule.
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';
import { type GlobalPeriod, globalPeriod, isGlobalPeriodicity } from '#engine/fiscal/mx/global-period.ts';
import { globalFact } from '#engine/services/invoicing/global-fact.ts';
import { insertInvoiceRows } from '#engine/services/invoicing/invoice-facts.ts';
import { type ProfileRow, registerSeries } from '#engine/services/invoicing/issuing.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';

/** Central's own series within a profile's: apart from every register's (A-CAJA-1). */
export const CENTRAL_SERIES_SUFFIX = 'GLOBAL';

export type IssuedGlobal = { invoiceId: string; branchId: string; series: string; folio: number; from: string; to: string; sales: number };

type Branch = ProfileRow & { branch_id: string; timezone: string; currency: string };

/** The first day of the month before `day`'s (YYYY-MM-DD). */
const firstOfPreviousMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const month = m === 1 ? 12 : m - 1;
  return `${m === 1 ? y - 1 : y}-${String(month).padStart(2, '0')}-01`;
};

/**
 * Issues the globals that are due for one business; answers what it wrote. `settleMinutes`: how
 * long after a period ends its sales are left to arrive before the global is made.
 */
export async function issueDueGlobals(
  sql: SqlDatabase,
  opts: { businessId: string; now: Date; settleMinutes: number },
): Promise<IssuedGlobal[]> {
  const branches = await sql.query<Branch>(
    `SELECT p.id, p.tax_id, p.legal_name, p.tax_regime, p.postal_code, p.series, p.settings,
            b.id AS branch_id, b.timezone, u.currency
     FROM billing.fiscal_profiles p JOIN business.branches b ON b.id = p.branch_id JOIN business.businesses u ON u.id = b.business_id
     WHERE b.business_id = $1 AND p.country = 'MX' AND p.deleted_at IS NULL AND b.deleted_at IS NULL
       AND p.created_at = (SELECT min(q.created_at) FROM billing.fiscal_profiles q
                           WHERE q.branch_id = p.branch_id AND q.country = 'MX' AND q.deleted_at IS NULL)`,
    [opts.businessId],
  );
  const issued: IssuedGlobal[] = [];
  const settled = new Date(opts.now.getTime() - opts.settleMinutes * 60_000);
  for (const branch of branches) {
    const periodicity = isGlobalPeriodicity(branch.settings.globalPeriodicity) ? branch.settings.globalPeriodicity : '01';
    // Days are the branch's own: a sale's business_date and "today" where the branch is.
    const today = businessDate(settled, branch.timezone);
    const days = await sql.query<{ day: string }>(
      `SELECT DISTINCT s.business_date::text AS day FROM sales.sales s
       WHERE s.branch_id = $1 AND s.status = 'COMPLETED' AND s.business_date >= $2 AND s.business_date < $3
         AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.sale_id = s.id AND l.deleted_at IS NULL)
       ORDER BY 1`,
      [branch.branch_id, firstOfPreviousMonth(today), today],
    );
    const periods = new Map<string, GlobalPeriod>();
    for (const { day } of days) {
      const period = globalPeriod(periodicity, day);
      if (period.to < today) periods.set(period.from, period);
    }
    for (const period of periods.values()) {
      const global = await issueOne(sql, branch, period, opts);
      if (global) issued.push(global);
    }
  }
  return issued;
}

async function issueOne(sql: SqlDatabase, branch: Branch, period: GlobalPeriod, opts: { businessId: string; now: Date }) {
  const series = registerSeries(branch.series, CENTRAL_SERIES_SUFFIX);
  try {
    // Read and written in one transaction: a register's invoice for one of these sales landing
    // meanwhile makes the links' unique index refuse the whole global, which the next pass makes again without that sale.
    return await sql.transaction(async (tx) => {
      const fact = await globalFact(tx, {
        businessId: opts.businessId,
        branchId: branch.branch_id,
        registerId: null,
        profile: branch,
        series,
        timezone: branch.timezone,
        currency: branch.currency,
        period,
        idempotencyKey: `central-global:${uuidv7()}`,
        by: null,
        now: opts.now,
      });
      await insertInvoiceRows(tx, fact);
      return {
        invoiceId: fact.invoice.id as string,
        branchId: branch.branch_id,
        series,
        folio: fact.invoice.folio as number,
        from: period.from,
        to: period.to,
        sales: fact.links.length,
      };
    });
  } catch (err) {
    // Every sale of the period returned whole: nothing to cover, nothing to say.
    if (err instanceof EngineError && err.params?.reason === 'NOTHING_TO_INVOICE') return null;
    throw err;
  }
}
