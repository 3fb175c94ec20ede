// The reports that read a lot (every sale of a business over a period) run on central, and on
// its read replica when one is configured: never on a terminal's PGlite, whose one connection
// would make every cashier behind it wait. Money leaves PostgreSQL as text.
import { connectCentral } from '#db/central.ts';

export type ReportKind = 'by-day' | 'by-cashier' | 'by-product';

export type ReportQuery = { businessId: string; from: string; to: string };

const QUERIES: Record<ReportKind, string> = {
  'by-day': `
    SELECT b.code AS branch, s.business_date::text AS day, count(*)::int AS sales, sum(s.total)::text AS total
    FROM sales.sales s JOIN business.branches b ON b.id = s.branch_id
    WHERE s.business_id = $1 AND s.status = 'COMPLETED' AND s.deleted_at IS NULL AND s.business_date BETWEEN $2::date AND $3::date
    GROUP BY b.code, s.business_date ORDER BY b.code, s.business_date`,
  'by-cashier': `
    SELECT e.code AS employee, e.display_name AS name, count(*)::int AS sales, sum(s.total)::text AS total
    FROM sales.sales s JOIN business.employees e ON e.id = s.employee_id
    WHERE s.business_id = $1 AND s.status = 'COMPLETED' AND s.deleted_at IS NULL AND s.business_date BETWEEN $2::date AND $3::date
    GROUP BY e.code, e.display_name ORDER BY sum(s.total) DESC, e.code`,
  'by-product': `
    SELECT i.sku, i.name, sum(i.quantity)::text AS quantity, sum(i.total)::text AS total
    FROM sales.sale_items i JOIN sales.sales s ON s.id = i.sale_id
    WHERE s.business_id = $1 AND s.status = 'COMPLETED' AND s.deleted_at IS NULL AND i.deleted_at IS NULL
      AND s.business_date BETWEEN $2::date AND $3::date
    GROUP BY i.sku, i.name ORDER BY sum(i.total) DESC, i.sku`,
};

export const REPORT_KINDS = Object.keys(QUERIES) as ReportKind[];

/** Runs on `readUrl` when given (a replica), else on the primary; answers which one it used. */
export async function runCentralReport(kind: ReportKind, query: ReportQuery, urls: { url: string; readUrl?: string | undefined }) {
  const target = urls.readUrl ?? urls.url;
  const central = await connectCentral(target);
  try {
    const [where] = await central.sql.query<{ db: string; replica: boolean }>(
      'SELECT current_database() AS db, pg_is_in_recovery() AS replica',
    );
    const rows = await central.sql.query<Record<string, string | number>>(QUERIES[kind], [query.businessId, query.from, query.to]);
    return { ranOn: { database: where!.db, replica: where!.replica, readUrl: urls.readUrl !== undefined }, rows };
  } finally {
    await central.close();
  }
}

/** Rows as aligned columns for a terminal window. */
export function formatReport(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(no sales in that period)';
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) =>
    cells.map((v, i) => (/^-?\d/.test(v) && i > 0 ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ');
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}
