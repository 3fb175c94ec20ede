// Shift reports on paper: the X report when someone asks for it, the Z report once per closed
// shift (the receipts reaction queues it after the close is journaled). Both are kept UNSENT on
// a register without a printer, for the screen to show.
import type { SqlSession } from '#db/sql-session.ts';
import type { EngineContainer } from '#engine/container.ts';
import type { NewPrintJob } from '#engine/ports.ts';
import { dateTimeFormat, moneyFormat, receiptLocale } from '#contract/receipt-document.ts';
import { receiptPlace, registerPrinter } from '../settings/register-printer.ts';
import { storeSettings, type StoreSettings } from '../settings/store-settings.ts';
import type { PrintableReport, ZReport } from '#contract/report-document.ts';
import { shiftReportDocument } from './shift-report-document.ts';

type ReportJob = { report: PrintableReport; registerId: string; employeeId: string };

async function shiftReportJob(services: EngineContainer, settings: StoreSettings, job: ReportJob) {
  const place = await receiptPlace(services.sql, job.registerId, job.employeeId);
  const printer = registerPrinter(services.spool, settings, place.registerCode);
  const locale = receiptLocale(settings.currency);
  const document = shiftReportDocument(
    job.report,
    {
      business: place.business,
      branch: place.branch,
      registerCode: place.registerCode,
      printedBy: place.employee,
      printedAt: services.now().toISOString(),
    },
    {
      paperWidth: printer?.paperWidth ?? settings.paperWidth,
      money: moneyFormat(locale, settings.currency),
      when: dateTimeFormat(locale, settings.timezone),
    },
  );
  const printJob: NewPrintJob = {
    registerId: job.registerId,
    kind: document.kind as 'X_REPORT' | 'Z_REPORT',
    printerUri: printer?.uri ?? null,
    document,
    shiftId: job.report.shiftId,
    employeeId: job.employeeId,
  };
  return { printJob, printer };
}

/** The X report (as the person asking may see it), queued on the register's printer now. */
export async function printXReport(
  services: EngineContainer,
  settings: StoreSettings,
  job: ReportJob,
): Promise<{ receiptId: string; printed: boolean }> {
  const { printJob, printer } = await shiftReportJob(services, settings, job);
  const receiptId = await services.spool.enqueue(printJob);
  return { receiptId: receiptId!, printed: printer !== null };
}

/**
 * The Z report of a closed shift (its row as journaled), printed for whoever closed it: kept
 * once, with `handled` (the reaction's cursor) in one transaction; the printer is woken after.
 */
export async function queueZReport(
  services: EngineContainer,
  shift: Record<string, unknown>,
  handled: (tx: SqlSession) => Promise<void>,
): Promise<void> {
  const settings = await storeSettings(services.sql, String(shift.business_id), String(shift.branch_id));
  const { printJob, printer } = await shiftReportJob(services, settings, {
    report: shift.report as ZReport,
    registerId: String(shift.register_id),
    employeeId: String(shift.closed_by),
  });
  await services.sql.transaction(async (tx) => {
    await services.spool.enqueue({ ...printJob, once: true }, { in: tx });
    await handled(tx);
  });
  if (printer) services.spool.wake(printer.uri);
}
