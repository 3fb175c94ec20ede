// Stamping in the background, for a register without central (central's fiscal worker stamps
// for the others), and the cancellations asked for after: a pass as soon as either is asked
// for, then one every idle period while any is left. A PAC that is down is tried again after a growing rest; an account the PAC refuses
// or a CSD that cannot seal is said in the log as an alarm, once per cause, and tried again at the
// longest rest (someone must fix it; the invoices wait PENDING meanwhile). It never holds a sale:
// passes run beside the calls, and the PAC is called outside the write queue.
import type { EngineContainer } from '#engine/container.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import type { Csd } from '#engine/fiscal/mx/seal.ts';
import { log } from '#engine/log/logger.ts';
import { cancelPending } from './cancel-pending.ts';
import { INVOICE_CANCEL_REQUESTED } from './cancellation-facts.ts';
import { INVOICE_REQUESTED } from './invoice-facts.ts';
import { type StampHalt, type StampPass, stampPending } from './stamp-pending.ts';

export type StampingTuning = { idleMs?: number; backoff?: { baseMs: number; maxMs: number } };

export type StampingLoop = {
  /** Runs a pass soon (an invoice was just asked for). */
  kick(): void;
  /** The last pass's answer, for status screens and tests. */
  last(): StampPass | null;
  /** Waits for the pass under way, and starts none after. */
  stop(): Promise<void>;
};

type Services = Pick<EngineContainer, 'sql' | 'journal' | 'writes' | 'now'>;

/** The rest before the next pass: growing while the PAC is unreachable, longest while a person must act. */
export function restAfter(halt: StampHalt | null, failures: number, tuning: Required<StampingTuning>): number {
  if (!halt) return tuning.idleMs;
  if (halt.reason !== 'UNAVAILABLE') return tuning.backoff.maxMs;
  return Math.min(tuning.backoff.maxMs, tuning.backoff.baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * `onAlarm`: a refused account or a CSD that cannot seal, told once per cause to the people who
 * must fix it (the engine puts it under the bell); a PAC that is down only goes to the log.
 */
export function startStampingLoop(
  services: Services,
  secrets: { pac: PacClient; csd: Csd },
  tuning: StampingTuning = {},
  onAlarm: (halt: StampHalt) => Promise<void> = async () => undefined,
): StampingLoop {
  const t: Required<StampingTuning> = { idleMs: 5 * 60_000, backoff: { baseMs: 30_000, maxMs: 30 * 60_000 }, ...tuning };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let lastPass: StampPass | null = null;
  let alarm: string | null = null;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };

  async function report(pass: StampPass) {
    for (const o of pass.outcomes) {
      if (o.status === 'ISSUED') log.info({ invoiceId: o.invoiceId, uuid: o.uuid }, `stamping: ${o.series}-${o.folio} stamped`);
      if (o.status === 'REJECTED')
        log.warn({ invoiceId: o.invoiceId, errorCode: o.code }, `stamping: ${o.series}-${o.folio} rejected: ${o.message}`);
    }
    const halt = pass.halted;
    const cause = halt ? `${halt.reason}:${halt.code}` : null;
    if (halt && cause !== alarm) {
      const line = `stamping: invoices wait PENDING: ${halt.message}`;
      if (halt.reason === 'UNAVAILABLE') log.warn({ errorCode: halt.code }, line);
      else {
        log.error({ alarm: `fiscal.${halt.reason.toLowerCase()}`, errorCode: halt.code }, line);
        await onAlarm(halt).catch((err: unknown) => log.warn({ err }, 'stamping: the alarm could not be written'));
      }
    }
    alarm = cause;
  }

  function run() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      let rest = t.idleMs;
      try {
        const stamped = await stampPending(services, { ...secrets, now: services.now() });
        // Cancellations go to the same PAC with the same CSD: not while it is halted.
        const cancelled = stamped.halted ? null : await cancelPending(services, secrets);
        for (const o of cancelled?.outcomes ?? []) {
          if (o.state !== 'REQUESTED') log.info({ invoiceId: o.invoiceId, errorCode: o.code }, `stamping: cancellation ${o.state}`);
        }
        const pass: StampPass = { outcomes: stamped.outcomes, halted: stamped.halted ?? cancelled?.halted ?? null };
        lastPass = pass;
        failures = pass.halted ? failures + 1 : 0;
        await report(pass);
        rest = restAfter(pass.halted, failures, t);
      } catch (err) {
        failures++;
        log.error({ err }, 'stamping: the pass failed');
        rest = t.backoff.maxMs;
      } finally {
        running = null;
      }
      if (again) {
        again = false;
        // Asked for during the pass: a new invoice gets its pass now, unless the PAC is resting.
        if (!lastPass?.halted) rest = 0;
      }
      schedule(rest);
    })();
  }

  // A new invoice gets its pass at once, unless the PAC is resting: then the rest holds.
  const wake = () => {
    if (!lastPass?.halted) setImmediate(run);
  };
  const stopListening = services.journal.onAppend((fact) => {
    if (fact.kind === INVOICE_REQUESTED || fact.kind === INVOICE_CANCEL_REQUESTED) wake();
  });
  schedule(0);

  return {
    kick: wake,
    last: () => lastPass,
    async stop() {
      stopped = true;
      stopListening();
      clearTimeout(timer);
      await running;
    },
  };
}
