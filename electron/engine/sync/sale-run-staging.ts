// The rows a run of plain sales writes at central (central-sale-runs.ts), made on the push's side
// from each sale's fact and staged beside the batch: its sale, its lines and its payments, one
// temporary table each, every column as text (NULL as NULL) behind the fact's seq. The statements
// that write the tables cast each column to its type there, so a value a column refuses fails
// that statement, and the run splits down to the fact at fault as it always has, instead of
// failing the COPY of the whole batch. Taking each fact's JSON apart again for every table was
// much of what those statements cost: central spent about 430 ms on a batch of 1,000 sales
// staged so, against 520 ms reading them out of the staged payloads (statement log, 3,000 sales).
import { createHash } from 'node:crypto';
import { getTableColumns, type Table } from 'drizzle-orm';
import type { JsonRow } from '#db/row-json.ts';
import { transactions } from '#db/schema/payments.ts';
import { saleItems, sales } from '#db/schema/sales.ts';
import type { CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { binaryRow } from './copy-binary.ts';

export type RunColumn = { name: string; type: string };

/** A table a run writes, and the temporary table its rows are staged in. */
export type RunTable = { target: string; staged: string; columns: readonly RunColumn[] };

function runTable(table: Table, target: string, label: string): RunTable {
  const columns = Object.values(getTableColumns(table)).map((c) => ({ name: c.name, type: c.getSQLType() }));
  // Named for its columns as well: through a pooler, a server connection may still hold the
  // table a terminal of another version staged into, with other columns.
  const shape = createHash('sha256')
    .update(columns.map((c) => `${c.name} ${c.type}`).join(','))
    .digest('hex')
    .slice(0, 10);
  return { target, staged: `pos_run_${label}_${shape}`, columns };
}

export const RUN_SALES = runTable(sales, 'sales.sales', 'sales');
export const RUN_LINES = runTable(saleItems, 'sales.sale_items', 'lines');
export const RUN_PAYMENTS = runTable(transactions, 'payments.transactions', 'payments');
const RUN_TABLES = [RUN_SALES, RUN_LINES, RUN_PAYMENTS] as const;

/** Creates the staging tables this session lacks, in the batch's own transaction; each is emptied at COMMIT. */
export const CREATE_RUN_TABLES = `DO $$ BEGIN
${RUN_TABLES.map(
  (t) => `  IF to_regclass('pg_temp.${t.staged}') IS NULL THEN
    CREATE TEMP TABLE ${t.staged} (seq bigint NOT NULL, ${t.columns.map((c) => `${c.name} text`).join(', ')}) ON COMMIT DELETE ROWS;
  END IF;`,
).join('\n')}
END $$`;

/** A plain sale's rows, in COPY's binary format, and its stock movements as JSON (sync.apply_sales_stock takes them so). */
export type SaleRunRows = { sales: Buffer[]; lines: Buffer[]; payments: Buffer[]; stock: string };

export function saleRunRows(seq: number, sale: CompletedSaleFact): SaleRunRows {
  return {
    sales: [stagedRow(RUN_SALES, seq, sale.sale)],
    lines: sale.items.map((row) => stagedRow(RUN_LINES, seq, row)),
    payments: sale.payments.map((row) => stagedRow(RUN_PAYMENTS, seq, row)),
    stock: JSON.stringify(sale.stock),
  };
}

/** The COPY of each staging table with the rows of `runs`, leaving out those with none. */
export function runCopies(runs: readonly SaleRunRows[]): { sql: string; rows: Buffer[] }[] {
  const copies = [
    { table: RUN_SALES, rows: runs.flatMap((r) => r.sales) },
    { table: RUN_LINES, rows: runs.flatMap((r) => r.lines) },
    { table: RUN_PAYMENTS, rows: runs.flatMap((r) => r.payments) },
  ];
  return copies
    .filter((c) => c.rows.length > 0)
    .map(({ table, rows }) => ({
      sql: `COPY pg_temp.${table.staged} (seq, ${table.columns.map((c) => c.name).join(', ')}) FROM STDIN (FORMAT binary)`,
      rows,
    }));
}

/** The stock movements of several sales as one JSON array, in their order. */
export const stockOf = (runs: readonly SaleRunRows[]): string =>
  `[${runs
    .map((r) => r.stock.slice(1, -1))
    .filter((s) => s !== '')
    .join(',')}]`;

/**
 * A value as the text its column is cast from: what jsonb_populate_record made of the same JSON
 * (a string as itself, a number or a boolean as written, a JSON null as NULL), a jsonb column's
 * value as JSON whatever it holds.
 */
export function columnText(column: RunColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'jsonb') return JSON.stringify(value);
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function stagedRow(table: RunTable, seq: number, row: JsonRow): Buffer {
  return binaryRow([{ int8: seq }, ...table.columns.map((c) => ({ text: columnText(c, row[c.name]) }))]);
}
