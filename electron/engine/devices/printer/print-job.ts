// Sending one job to a printer so that "printed" means the printer has it: ask its status first
// (no point sending to a printer out of paper or with its cover open), send, then ask again: an
// answer to a status request sent after the job means every byte of the job arrived. A printer
// that never answers status requests (some cheap clones) is noticed once and then trusted on
// the transport's word alone.
import { DeviceError } from '../device-error.ts';
import type { JobOutcome } from '#engine/ports.ts';
import type { PrinterLink } from './printer-link.ts';
import { BLOCKING, conditionsOf, describeCondition, statusRequest, type PrinterCondition } from './printer-status.ts';

export class PrinterConditionError extends DeviceError {
  constructor(
    readonly conditions: PrinterCondition[],
    describe: string,
  ) {
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

export type { JobOutcome } from '#engine/ports.ts';

export async function sendJob(
  link: PrinterLink,
  bytes: Uint8Array,
  opts: { statusSupported: boolean | null; timeoutMs: number },
): Promise<JobOutcome> {
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

/** ESC p 0 50 250: a 100 ms pulse on pin 2, the one every drawer we know of opens on. */
export const DRAWER_PULSE = Uint8Array.of(0x1b, 0x70, 0x00, 0x32, 0xfa);
/**
 * DLE DC4 1 0 1: the same pulse as a real-time command, which the printer carries out at once
 * even while it is out of paper or its cover is open. Not every clone knows it, so it is sent
 * only then: an ESC p sent to a stopped printer would wait in its buffer and spring the drawer
 * whenever the paper went back in.
 */
export const REALTIME_DRAWER_PULSE = Uint8Array.of(0x10, 0x14, 0x01, 0x00, 0x01);

/** Opens the drawer now, whatever the paper: the cashier needs the change drawer more than the receipt. */
export async function openDrawerNow(link: PrinterLink, opts: { statusSupported: boolean | null; timeoutMs: number }): Promise<JobOutcome> {
  const statusWait = opts.statusSupported === false ? 0 : opts.statusSupported === null ? Math.min(opts.timeoutMs, 800) : opts.timeoutMs;
  const before = statusWait > 0 ? await readPrinterStatus(link, statusWait) : null;
  const stopped = (before ?? []).some((c) => BLOCKING.has(c));
  await link.write(stopped ? REALTIME_DRAWER_PULSE : DRAWER_PULSE, opts.timeoutMs);
  return { statusSupported: before !== null, conditions: before ?? [] };
}
