// What the register prints besides sale receipts, and the drawer: each reads what it needs,
// lays it out and hands it to the spool (kept, retried) or sends it at once (a drawer kick or a
// test page is worth nothing later).
import type { EngineContainer } from '#engine/container.ts';
import type { StoreSettings } from '#engine/services/settings/store-settings.ts';
import type { CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { DEFAULT_MODEL, columnsFor, encodeDocument, type Codepage } from './escpos.ts';
import type { JobOutcome } from './print-job.ts';
import { dateTimeFormat, moneyFormat, returnReceiptDocument, type ReceiptDocument, type ReturnReceipt } from '#contract/receipt-document.ts';
import type { DrawerKick } from '#contract/drawer-kick.ts';
import type { PrintableReport } from '#contract/report-document.ts';
import { shiftReportDocument, testPageDocument } from './report-document.ts';
import { receiptLocale, registerPrinter, saleReceiptFor } from './sale-receipt.ts';

type Place = { business: string; branch: string; registerCode: string; employee: string };

async function placeOf(services: EngineContainer, registerId: string, employeeId: string): Promise<Place> {
  const [row] = await services.sql.query<Place>(
    `SELECT b.name AS business, br.name AS branch, r.code AS "registerCode", e.display_name AS employee
     FROM sales.cash_registers r JOIN business.branches br ON br.id = r.branch_id JOIN business.businesses b ON b.id = br.business_id
     JOIN business.employees e ON e.id = $2 WHERE r.id = $1`, [registerId, employeeId]);
  if (!row) throw new Error(`register ${registerId} or employee ${employeeId} not found`);
  return row;
}

export async function registerCodeOf(services: EngineContainer, registerId: string): Promise<string> {
  const [row] = await services.sql.query<{ code: string }>(`SELECT code FROM sales.cash_registers WHERE id = $1`, [registerId]);
  if (!row) throw new Error(`register ${registerId} not found`);
  return row.code;
}

/** X (report without zNumber) or Z report, queued on the register's printer; kept UNSENT without one. */
export async function printShiftReport(
  services: EngineContainer, settings: StoreSettings,
  job: { report: PrintableReport; registerId: string; employeeId: string },
): Promise<{ receiptId: string; printed: boolean }> {
  const place = await placeOf(services, job.registerId, job.employeeId);
  const printer = registerPrinter(services, settings, place.registerCode);
  const document = shiftReportDocument(job.report, {
    business: place.business, branch: place.branch, registerCode: place.registerCode, printedBy: place.employee,
    printedAt: services.now().toISOString(),
  }, { paperWidth: printer?.paperWidth ?? settings.paperWidth, money: moneyFormat(receiptLocale(settings.currency), settings.currency), when: dateTimeFormat(receiptLocale(settings.currency), settings.timezone) });
  const receiptId = await services.spool.enqueue({
    registerId: job.registerId, kind: document.kind as 'X_REPORT' | 'Z_REPORT', printerUri: printer?.uri ?? null, document,
    shiftId: job.report.shiftId, employeeId: job.employeeId,
  });
  return { receiptId, printed: printer !== null };
}

/**
 * A copy or a gift receipt of a completed sale. A copy is the stored original marked COPIA
 * (names and prices as printed that day); a sale with no stored
 * original (one replayed into a rebuilt database) and every gift receipt are laid out from
 * the sale's own record.
 */
export async function reprintSale(
  services: EngineContainer, settings: StoreSettings,
  job: { fact: CompletedSaleFact; receiptCode: string; registerId: string; employeeId: string; variant: 'copy' | 'gift' },
): Promise<{ receiptId: string; copyNumber: number; printed: boolean; document: ReceiptDocument }> {
  const saleId = String(job.fact.sale.id);
  const registerCode = await registerCodeOf(services, job.registerId);
  const printer = registerPrinter(services, settings, registerCode);
  const paperWidth = printer?.paperWidth ?? settings.paperWidth;
  const [prior] = await services.sql.query<{ copies: number }>(
    `SELECT coalesce(max(copy_number), 0)::int AS copies FROM sales.receipts WHERE sale_id = $1 AND kind IN ('SALE', 'GIFT')`, [saleId]);
  const [original] = job.variant === 'copy'
    ? await services.sql.query<{ document: ReceiptDocument }>(
      `SELECT document FROM sales.receipts WHERE sale_id = $1 AND kind = 'SALE' AND copy_number = 0 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`, [saleId])
    : [];
  const document = original && original.document.paperWidth === paperWidth
    ? markCopy(original.document)
    : await saleReceiptFor(services, settings, job.fact, {
      receiptCode: job.receiptCode, registerCode: await registerCodeOf(services, String(job.fact.sale.register_id)), paperWidth, variant: job.variant,
    });
  if (!document) throw new Error(`sale ${saleId} has no business or branch to print`);
  const copyNumber = (prior?.copies ?? 0) + 1;
  const receiptId = await services.spool.enqueue({
    registerId: job.registerId, kind: job.variant === 'gift' ? 'GIFT' : 'SALE', printerUri: printer?.uri ?? null, document,
    saleId, shiftId: null, employeeId: job.employeeId, copyNumber,
  });
  return { receiptId, copyNumber, printed: printer !== null, document };
}

/** The original's blocks with "*** COPIA ***" under the cashier's name. */
export function markCopy(doc: ReceiptDocument): ReceiptDocument {
  const blocks = [...doc.blocks];
  const at = blocks.findIndex((b) => b.type === 'text' && b.text.startsWith('Le atendió'));
  blocks.splice(at + 1, 0, { type: 'text', text: '*** COPIA ***', align: 'center', bold: true });
  return { ...doc, blocks };
}

/** Opens the register's drawer now, through its printer; a drawer that cannot open is said, not retried. */
export async function kickDrawer(services: EngineContainer, settings: StoreSettings, registerCode: string): Promise<DrawerKick> {
  const printer = registerPrinter(services, settings, registerCode);
  if (!printer) return { opened: false, reason: 'NO_PRINTER', message: `register ${registerCode} has no printer to open its drawer` };
  try {
    await services.spool.openDrawer(printer.uri);
    return { opened: true, reason: null, message: null };
  } catch (err) {
    return { opened: false, reason: 'PRINTER_FAILED', message: (err as Error).message };
  }
}

/** The test page, sent at once; throws the printer's own error so the person setting it up sees it. */
export async function printTestPage(
  send: (uri: string, bytes: Uint8Array) => Promise<JobOutcome>,
  printer: { uri: string; model?: string | undefined; codepage?: Codepage | undefined; paperWidth: 58 | 80 }, now: Date,
): Promise<JobOutcome & { document: ReceiptDocument }> {
  const model = printer.model ?? DEFAULT_MODEL;
  const document = testPageDocument({
    printerUri: printer.uri, model, codepage: printer.codepage ?? 'auto', paperWidth: printer.paperWidth, columns: columnsFor(printer.paperWidth),
    printedAt: now.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
  });
  const outcome = await send(printer.uri, encodeDocument(document, { model, ...(printer.codepage ? { codepage: printer.codepage } : {}) }));
  return { ...outcome, document };
}

/** A return's receipt, queued on the register's printer right after the return is journaled. */
export async function printReturnReceipt(
  services: EngineContainer, settings: StoreSettings,
  r: Omit<ReturnReceipt, 'business' | 'branch' | 'registerCode' | 'cashier'> & { registerId: string; employeeId: string; returnId: string; shiftId: string },
): Promise<string> {
  const place = await placeOf(services, r.registerId, r.employeeId);
  const [business] = await services.sql.query<{ name: string; tax_id: string; country: string }>(
    `SELECT b.name, b.tax_id, b.country FROM business.businesses b JOIN business.branches br ON br.business_id = b.id
     JOIN sales.cash_registers c ON c.branch_id = br.id WHERE c.id = $1`, [r.registerId]);
  const printer = registerPrinter(services, settings, place.registerCode);
  const document = returnReceiptDocument({
    ...r, business: { name: business!.name, taxId: business!.tax_id, country: business!.country }, branch: place.branch, registerCode: place.registerCode, cashier: place.employee,
  }, { paperWidth: printer?.paperWidth ?? settings.paperWidth, money: moneyFormat(receiptLocale(settings.currency), settings.currency), when: dateTimeFormat(receiptLocale(settings.currency), settings.timezone) });
  return services.spool.enqueue({
    registerId: r.registerId, kind: 'RETURN', printerUri: printer?.uri ?? null, document, returnId: r.returnId, shiftId: r.shiftId, employeeId: r.employeeId,
  });
}
