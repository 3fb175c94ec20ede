// Sending one job to a printer so that "printed" means the printer has it: ask its status first
// (no point sending to a printer out of paper or with its cover open), send, then ask again: an
// answer to a status request sent after the job means every byte of the job arrived. A printer
// that never answers status requests (some cheap clones) is noticed once and then trusted on
// the transport's word alone.
import { DeviceError } from './device-error.ts';
import type { PrinterLink } from './printer-link.ts';
import { BLOCKING, conditionsOf, describeCondition, statusRequest, type PrinterCondition } from './printer-status.ts';

export class PrinterConditionError extends DeviceError {
  constructor(readonly conditions: PrinterCondition[], describe: string) {
    super('FAILED', `${describe}: ${conditions.map((c) => describeCondition[c]).join(', ')}`);
  }
}

/** What the printer said about itself; null when it does not answer status requests. */
export async function readPrinterStatus(link: PrinterLink, timeoutMs: number): Promise<PrinterCondition[] | null> {
  const printer = await link.query(statusRequest('printer'), timeoutMs);
  if (printer === null) return null;
  const conditions = conditionsOf('printer', printer);
  for (const request of ['offline', 'paper'] as const) {
    const b = await link.query(statusRequest(request), timeoutMs);
    if (b === null) throw new DeviceError('TIMEOUT', `${link.describe} stopped answering`);
    conditions.push(...conditionsOf(request, b));
  }
  if (conditions.includes('ERROR')) {
    const b = await link.query(statusRequest('error'), timeoutMs);
    if (b !== null) conditions.push(...conditionsOf('error', b));
  }
  return [...new Set(conditions)];
}

export type JobOutcome = { statusSupported: boolean; conditions: PrinterCondition[] };

export async function sendJob(link: PrinterLink, bytes: Uint8Array, opts: { statusSupported: boolean | null; timeoutMs: number }): Promise<JobOutcome> {
  const statusWait = opts.statusSupported === false ? 0 : opts.statusSupported === null ? Math.min(opts.timeoutMs, 800) : opts.timeoutMs;
  const before = statusWait > 0 ? await readPrinterStatus(link, statusWait) : null;
  const statusSupported = before !== null;
  const blocking = (before ?? []).filter((c) => BLOCKING.has(c));
  if (blocking.length > 0) throw new PrinterConditionError(blocking, link.describe);
  await link.write(bytes, opts.timeoutMs);
  if (!statusSupported) return { statusSupported, conditions: [] };
  const after = await readPrinterStatus(link, opts.timeoutMs);
  if (after === null) throw new DeviceError('TIMEOUT', `${link.describe} stopped answering in the middle of the job`);
  return { statusSupported, conditions: after };
}
