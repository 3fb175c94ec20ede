// The register's printer as the store's settings name it, and the names a printed document's
// header carries. Read here, in services: the print queue only learns how to encode for it.
import type { SqlSession } from '#db/sql-session.ts';
import type { PrinterSetup, PrintQueue } from '#engine/ports.ts';
import type { StoreSettings } from './store-settings.ts';

/**
 * The register's printer and the paper it has; null when none is set. The queue is told the
 * printer's model, code page and the store's logo as the settings say now, so a change applies
 * from the next job on.
 */
export function registerPrinter(spool: Pick<PrintQueue, 'usePrinter'>, settings: StoreSettings, registerCode: string): PrinterSetup | null {
  const printer = settings.devices[registerCode]?.printer;
  if (!printer) return null;
  const setup: PrinterSetup = {
    uri: printer.uri,
    paperWidth: printer.paperWidth ?? settings.paperWidth,
    model: printer.model,
    codepage: printer.codepage,
    logo: settings.logo,
    uncertain: settings.uncertainPrint,
  };
  spool.usePrinter(setup);
  return setup;
}

export type ReceiptPlace = { business: string; branch: string; registerCode: string; employee: string };

/** The business, branch and register a document is printed at, and the employee named on it. */
export async function receiptPlace(sql: SqlSession, registerId: string, employeeId: string): Promise<ReceiptPlace> {
  const [row] = await sql.query<ReceiptPlace>(
    `SELECT b.name AS business, br.name AS branch, r.code AS "registerCode", e.display_name AS employee
     FROM sales.cash_registers r JOIN business.branches br ON br.id = r.branch_id JOIN business.businesses b ON b.id = br.business_id
     JOIN business.employees e ON e.id = $2 WHERE r.id = $1`,
    [registerId, employeeId],
  );
  if (!row) throw new Error(`register ${registerId} or employee ${employeeId} not found`);
  return row;
}
