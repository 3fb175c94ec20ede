// Sending one job so that "printed" means the printer has it, and a job whose fate is unknown
// is never sent blindly again. Before the job: ask the printer's status (DLE EOT); a printer
// that says it cannot print, or that is known to answer and now does not, gets nothing of the
// job, so trying again later is safe. Then the caller marks the job as being sent, and only
// then does its first byte go. After it: ask again; the answer to a request sent after the job
// means the printer received every byte of it. A printer proven never to answer status is
// believed when it has read to the end of the stream (finish()); one that was never heard from
// is first proven healthy that way before anything is sent to it. Silence is never taken for
// "this model reports no status" unless the printer read everything it was sent: a printer
// that hangs from the first byte is hung, not status-less.
import { DeviceError } from '../device-error.ts';
import type { PrinterCondition, StatusSupport } from '#contract/printer-state.ts';
import type { PrinterLink } from './printer-link.ts';
import { BLOCKING, conditionsOf, describeCondition, statusRequest } from './printer-status.ts';

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

/** How long a printer never heard from is given to answer a status request before it is proven another way. */
export const FIRST_ANSWER_MS = 800;
/** How long a printer known to be status-less is given when it is asked again whether it answers now. */
export const RECHECK_ANSWER_MS = 300;

export type PrinterKnowledge = {
  support: StatusSupport;
  /** Ask a status-less printer again (every so often: it may have been swapped for one that answers). */
  recheck: boolean;
  /** It hung or went away last time: prove it healthy again before a status-less job is sent to it. */
  suspect: boolean;
};

/** What became of a job, and what was learnt about the printer on the way. */
export type JobResult =
  | { outcome: 'printed'; support: StatusSupport; conditions: PrinterCondition[] }
  /** Nothing of the job left: it can be sent again. */
  | {
      outcome: 'not-sent';
      support: StatusSupport;
      conditions: PrinterCondition[];
      health: 'stopped' | 'hung' | 'offline';
      error: DeviceError;
    }
  /** Some or all of it may be in the printer: never resend blindly. */
  | { outcome: 'uncertain'; support: StatusSupport; conditions: PrinterCondition[]; health: 'stopped' | 'hung'; error: DeviceError };

export type OpenLink = () => Promise<PrinterLink>;

/** How long the printer may take to read a job to its end: the timeout, plus time to print a long one. */
const readAllMs = (bytes: number, timeoutMs: number) => timeoutMs + Math.ceil(bytes / 2_000) * 1_000;

type Probe = { support: StatusSupport; conditions: PrinterCondition[] | null; link: PrinterLink | null };

/**
 * Asks the printer how it is, as much as it can say, on a link opened here: its status, or,
 * for one that does not answer, whether it reads to the end of a stream. Answers the link to
 * go on with (null when the probe used it up), or throws a DeviceError that says why the
 * printer cannot take a job now.
 */
async function probe(open: OpenLink, known: PrinterKnowledge, timeoutMs: number, answerMs = timeoutMs): Promise<Probe> {
  const link = await open();
  try {
    if (!link.carriesStatus) return { support: 'no', conditions: null, link };
    const ask = known.support !== 'no' || known.recheck;
    const wait = known.support === 'yes' ? answerMs : known.support === 'no' ? RECHECK_ANSWER_MS : Math.min(answerMs, FIRST_ANSWER_MS);
    const conditions = ask ? await readPrinterStatus(link, wait) : null;
    if (conditions !== null) return { support: 'yes', conditions, link };
    if (known.support === 'yes') throw new DeviceError('TIMEOUT', `${link.describe} is not answering`);
    if (known.support === 'no' && !known.suspect) return { support: 'no', conditions: null, link };
    // Never heard from, or status-less and last seen hung: it must show that it reads.
    const reads = await link.finish(timeoutMs);
    await link.close();
    if (!reads) throw new DeviceError('TIMEOUT', `${link.describe} takes the connection but is not reading`);
    return { support: 'no', conditions: null, link: null };
  } catch (err) {
    await link.close();
    throw err;
  }
}

const healthOf = (err: unknown): 'hung' | 'offline' => (err instanceof DeviceError && err.code === 'TIMEOUT' ? 'hung' : 'offline');

/**
 * Sends one job. `sending` is awaited after the printer has shown it can take the job and
 * before its first byte goes (the caller writes down that the job is on its way).
 */
export async function printJob(
  open: OpenLink,
  bytes: Uint8Array,
  opts: { known: PrinterKnowledge; timeoutMs: number; sending?: () => Promise<void> },
): Promise<JobResult> {
  let support = opts.known.support;
  let link: PrinterLink;
  let before: PrinterCondition[] | null;
  try {
    const seen = await probe(open, opts.known, opts.timeoutMs);
    support = seen.support;
    before = seen.conditions;
    link = seen.link ?? (await open());
  } catch (err) {
    const error = err instanceof DeviceError ? err : new DeviceError('FAILED', (err as Error).message);
    return { outcome: 'not-sent', support, conditions: [], health: healthOf(err), error };
  }
  try {
    const blocking = (before ?? []).filter((c) => BLOCKING.has(c));
    if (blocking.length > 0)
      return {
        outcome: 'not-sent',
        support,
        conditions: before ?? [],
        health: 'stopped',
        error: new PrinterConditionError(blocking, link.describe),
      };
    await opts.sending?.();
    try {
      await link.write(bytes, opts.timeoutMs);
      if (support === 'yes') {
        const after = await readPrinterStatus(link, opts.timeoutMs);
        if (after === null) throw new DeviceError('TIMEOUT', `${link.describe} stopped answering in the middle of the job`);
        // A printer that stopped during the job (paper ran out, cover opened) may have cut it short.
        const stopped = after.filter((c) => BLOCKING.has(c) && !(before ?? []).includes(c));
        if (stopped.length > 0)
          return {
            outcome: 'uncertain',
            support,
            conditions: after,
            health: 'stopped',
            error: new PrinterConditionError(stopped, link.describe),
          };
        return { outcome: 'printed', support, conditions: after };
      }
      if (!(await link.finish(readAllMs(bytes.length, opts.timeoutMs))))
        throw new DeviceError('TIMEOUT', `${link.describe} stopped reading in the middle of the job`);
      return { outcome: 'printed', support, conditions: [] };
    } catch (err) {
      const error = err instanceof DeviceError ? err : new DeviceError('FAILED', (err as Error).message);
      return { outcome: 'uncertain', support, conditions: before ?? [], health: 'hung', error };
    }
  } finally {
    await link.close();
  }
}

/** A status check between jobs: what a printer says, or why it says nothing. */
export async function checkPrinter(
  open: OpenLink,
  known: PrinterKnowledge,
  timeoutMs: number,
): Promise<{ support: StatusSupport; conditions: PrinterCondition[] }> {
  // An idle printer answers a real-time request at once: one that takes longer is shown as not answering, and the next check corrects it.
  const seen = await probe(open, { ...known, suspect: true }, timeoutMs, FIRST_ANSWER_MS);
  await seen.link?.close();
  return { support: seen.support, conditions: seen.conditions ?? [] };
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
/** A drawer is for the cashier in front of it now: a printer known to answer gets this long. */
const DRAWER_ANSWER_MS = 500;

/**
 * Opens the drawer now, whatever the paper: the cashier needs the change drawer more than the
 * receipt. A printer that should answer and does not gets no pulse (it could spring the drawer
 * whenever it woke); the caller says so instead.
 */
export async function openDrawerNow(
  open: OpenLink,
  known: PrinterKnowledge,
  timeoutMs: number,
): Promise<{ support: StatusSupport; conditions: PrinterCondition[] }> {
  let seen = await probe(open, known, timeoutMs, DRAWER_ANSWER_MS);
  if (!seen.link) seen = { ...seen, link: await open() };
  const link = seen.link!;
  try {
    const stopped = (seen.conditions ?? []).some((c) => BLOCKING.has(c));
    await link.write(stopped ? REALTIME_DRAWER_PULSE : DRAWER_PULSE, timeoutMs);
    return { support: seen.support, conditions: seen.conditions ?? [] };
  } finally {
    await link.close();
  }
}
