// The persistent print spool: every receipt and report is a row in sales.receipts before a byte
// is sent, so a printer out of paper or unplugged keeps its jobs across restarts and prints
// them, in order, when it answers again. At most once per printer: a job is marked SENDING
// before its first byte goes, so a job whose fate is unknown (the printer hung mid-job, the
// engine was killed while sending, or after the printer confirmed but before PRINTED was
// written) is never sent again as it was: the store's choice is a copy marked as a reprint, or
// the cashier's word. Each printer has its own lane, so one failing printer never holds up
// another; the drawer has a path of its own, so it never waits behind a stalled job. Printing
// never blocks a sale. This is the PrintQueue of ports.ts: services hand it documents, it turns
// them into bytes.
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import { encodeDocument, type PrinterProfile } from './escpos.ts';
import { checkPrinter, openDrawerNow, printJob, type JobResult, type OpenLink, type PrinterKnowledge } from './print-job.ts';
import { openPrinterLink } from './printer-link.ts';
import { BLOCKING } from './printer-status.ts';
import { decodeLogo } from './receipt-logo.ts';
import { sendTestPage } from './test-page.ts';
import { DeviceError } from '../device-error.ts';
import { parsePrinterUri } from '#contract/printer-uri.ts';
import { markCopy, REPRINT_MARK, type ReceiptDocument } from '#contract/receipt-document.ts';
import type { PrinterCondition, PrinterHealth, PrinterState, StatusSupport } from '#contract/printer-state.ts';
import type { UncertainPrintChoice } from '#contract/sales-vocabulary.ts';
import { log } from '#engine/log/logger.ts';
import type { JobOutcome, NewPrintJob, PrinterSetup, PrintQueue, UncertainJob } from '#engine/ports.ts';

export type { NewPrintJob } from '#engine/ports.ts';
export type { PrinterState } from '#contract/printer-state.ts';

/** Waits between attempts at a printer that failed: quick at first, then every 30 s. */
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
const JOB_TIMEOUT_MS = 5_000;
/** An idle printer is asked how it is this often, so the screen shows a change within two seconds. */
const STATUS_POLL_MS = 1_000;
/** A printer found not to answer status is asked again this often: it may have been swapped for one that does. */
const RECHECK_MS = 10 * 60_000;

export type SpoolOptions = {
  /** How long a printer may stay silent before a job, a status check or the drawer gives up on it. */
  timeoutMs?: number;
  now?: () => Date;
  backoffMs?: readonly number[];
  /** Told whenever a printer's queue or condition changes (the UI's printer badge). */
  onChange?: (state: PrinterState) => void;
};

/** What the spool knows of one printer, learnt from what it did. */
type Track = {
  support: StatusSupport;
  /** When its status support was last put to the test (a status-less printer is asked again after RECHECK_MS). */
  supportAt: number;
  health: PrinterHealth;
  conditions: PrinterCondition[];
  lastError: string | null;
  checkedAt: Date | null;
};

type JobRow = {
  id: string;
  register_id: string;
  sale_id: string | null;
  return_id: string | null;
  shift_id: string | null;
  employee_id: string | null;
  invoice_id: string | null;
  kind: string;
  printer_uri: string;
  document: ReceiptDocument;
};

/** What a one-off send (the test page) answers: the printer's words, or its error, and an error when whether it came out is unknown. */
function outcomeOf(result: JobResult): JobOutcome {
  if (result.outcome === 'printed') return { statusSupported: result.support === 'yes', conditions: result.conditions };
  if (result.outcome === 'uncertain')
    throw new DeviceError(result.error.code, `${result.error.message}; it may not have printed: look at the paper before trying again`);
  throw result.error;
}

/** One job straight to a printer never met before, outside any spool (the command line's test page). */
export async function printNow(printerUri: string, bytes: Uint8Array, timeoutMs = JOB_TIMEOUT_MS): Promise<JobOutcome> {
  const address = parsePrinterUri(printerUri);
  return outcomeOf(
    await printJob(() => openPrinterLink(address, timeoutMs), bytes, {
      known: { support: 'unknown', recheck: false, suspect: true },
      timeoutMs,
    }),
  );
}

export function createPrintSpool(sql: SqlDatabase, opts: SpoolOptions = {}) {
  const timeoutMs = opts.timeoutMs ?? JOB_TIMEOUT_MS;
  const now = opts.now ?? (() => new Date());
  const backoff = opts.backoffMs ?? BACKOFF_MS;
  const loops = new Map<string, Promise<void>>();
  const tracks = new Map<string, Track>();
  const profiles = new Map<string, PrinterProfile>();
  const choices = new Map<string, UncertainPrintChoice>();
  const wakers = new Map<string, () => void>();
  /** One job (or status check) at a time per printer: many printers take one connection at a time. */
  const lanes = new Map<string, Promise<unknown>>();
  const watches = new Set<NodeJS.Timeout>();
  let stopped = false;

  const track = (uri: string): Track => {
    let t = tracks.get(uri);
    if (!t) {
      t = { support: 'unknown', supportAt: 0, health: 'unknown', conditions: [], lastError: null, checkedAt: null };
      tracks.set(uri, t);
    }
    return t;
  };

  const knowledge = (uri: string): PrinterKnowledge => {
    const t = track(uri);
    return {
      support: t.support,
      recheck: t.support === 'no' && Date.now() - t.supportAt > RECHECK_MS,
      suspect: t.health !== 'online' && t.health !== 'stopped',
    };
  };

  /** Writes down what a contact with the printer showed; answers whether anything the screen shows changed. */
  function learn(
    uri: string,
    seen: { support?: StatusSupport; health: PrinterHealth; conditions?: PrinterCondition[]; error?: string | null },
  ): boolean {
    const t = track(uri);
    const before = JSON.stringify([t.support, t.health, t.conditions, t.lastError]);
    if (seen.support && seen.support !== 'unknown') {
      if (seen.support !== t.support || t.support === 'no') t.supportAt = Date.now();
      t.support = seen.support;
    }
    t.health = seen.health;
    if (seen.conditions) t.conditions = seen.conditions;
    if (seen.error !== undefined) t.lastError = seen.error;
    t.checkedAt = now();
    return JSON.stringify([t.support, t.health, t.conditions, t.lastError]) !== before;
  }

  const healthFrom = (conditions: PrinterCondition[]): PrinterHealth => (conditions.some((c) => BLOCKING.has(c)) ? 'stopped' : 'online');

  function inLane<T>(printerUri: string, work: () => Promise<T>): Promise<T> {
    const result = (lanes.get(printerUri) ?? Promise.resolve()).catch(() => undefined).then(work);
    lanes.set(
      printerUri,
      result.catch(() => undefined),
    );
    return result;
  }

  const opener =
    (printerUri: string): OpenLink =>
    () =>
      openPrinterLink(parsePrinterUri(printerUri), timeoutMs);

  /** One job through the printer's lane; what the printer showed is learnt whatever the outcome. */
  async function send(printerUri: string, bytes: Uint8Array, sending?: () => Promise<void>): Promise<JobResult> {
    return inLane(printerUri, async () => {
      const result = await printJob(opener(printerUri), bytes, {
        known: knowledge(printerUri),
        timeoutMs,
        ...(sending ? { sending } : {}),
      });
      if (result.outcome === 'printed')
        learn(printerUri, { support: result.support, health: healthFrom(result.conditions), conditions: result.conditions, error: null });
      else
        learn(printerUri, { support: result.support, health: result.health, conditions: result.conditions, error: result.error.message });
      return result;
    });
  }

  async function counts(printerUri: string): Promise<{ pending: number; uncertain: number }> {
    const [row] = await sql.query<{ pending: number; uncertain: number }>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE status = 'UNCERTAIN')::int AS uncertain
       FROM sales.receipts WHERE printer_uri = $1 AND status IN ('PENDING', 'UNCERTAIN') AND deleted_at IS NULL`,
      [printerUri],
    );
    return { pending: row?.pending ?? 0, uncertain: row?.uncertain ?? 0 };
  }

  function stateOf(printerUri: string, c: { pending: number; uncertain: number }): PrinterState {
    const t = track(printerUri);
    return {
      printerUri,
      pending: c.pending,
      uncertain: c.uncertain,
      health: t.health,
      statusSupport: t.support,
      lastError: t.lastError,
      conditions: t.conditions,
      printing: loops.has(printerUri),
      checkedAt: t.checkedAt?.toISOString() ?? null,
    };
  }

  async function changed(printerUri: string): Promise<void> {
    if (!opts.onChange) return;
    opts.onChange(stateOf(printerUri, await counts(printerUri)));
  }

  async function next(printerUri: string): Promise<JobRow | undefined> {
    const [job] = await sql.query<JobRow>(
      `SELECT id, register_id, sale_id, return_id, shift_id, employee_id, invoice_id, kind, printer_uri, document FROM sales.receipts
       WHERE printer_uri = $1 AND status = 'PENDING' AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`,
      [printerUri],
    );
    return job;
  }

  /**
   * A job whose outcome is unknown: kept UNCERTAIN for the cashier, or set aside as REPRINTED
   * with a copy marked as a reprint queued behind whatever waits, in one transaction. Answers
   * the copy's id (null when the cashier is to be asked).
   */
  async function settleUnknown(
    job: JobRow,
    reason: string,
    choice: UncertainPrintChoice,
    from: 'SENDING' | 'UNCERTAIN',
  ): Promise<string | null> {
    return sql.transaction(async (tx) => {
      if (choice === 'ask') {
        await tx.query(`UPDATE sales.receipts SET status = 'UNCERTAIN', last_error = $2, updated_at = $3 WHERE id = $1 AND status = $4`, [
          job.id,
          reason,
          now(),
          from,
        ]);
        return null;
      }
      const [moved] = await tx.query<{ id: string }>(
        `UPDATE sales.receipts SET status = 'REPRINTED', last_error = $2, updated_at = $3 WHERE id = $1 AND status = $4 RETURNING id`,
        [job.id, reason, now(), from],
      );
      if (!moved) return null;
      const copyId = uuidv7();
      // Numbered among the copies of the same invoice, sale, return or shift (of any kind a reprint shares the count with).
      await tx.query(
        `INSERT INTO sales.receipts (id, register_id, sale_id, return_id, shift_id, employee_id, invoice_id, kind, copy_number, printer_uri, status, document)
         SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $11::uuid, $7::text,
           1 + coalesce((SELECT max(r.copy_number) FROM sales.receipts r WHERE r.kind = $7 AND
             CASE WHEN $11::uuid IS NOT NULL THEN r.invoice_id = $11 WHEN $3::uuid IS NOT NULL THEN r.sale_id = $3
                  WHEN $4::uuid IS NOT NULL THEN r.return_id = $4 WHEN $5::uuid IS NOT NULL THEN r.shift_id = $5 ELSE r.id = $9 END), 0),
           $8::text, 'PENDING', $10::jsonb`,
        [
          copyId,
          job.register_id,
          job.sale_id,
          job.return_id,
          job.shift_id,
          job.employee_id,
          job.kind,
          job.printer_uri,
          job.id,
          JSON.stringify(markCopy(job.document, REPRINT_MARK)),
          job.invoice_id,
        ],
      );
      return copyId;
    });
  }

  /** Jobs a kill left SENDING: their bytes may have reached the printer, so they are never sent again as they were. */
  async function settleInterrupted(printerUri: string): Promise<void> {
    const interrupted = await sql.query<JobRow>(
      `SELECT id, register_id, sale_id, return_id, shift_id, employee_id, invoice_id, kind, printer_uri, document FROM sales.receipts
       WHERE printer_uri = $1 AND status = 'SENDING' AND deleted_at IS NULL ORDER BY created_at, id`,
      [printerUri],
    );
    for (const job of interrupted) {
      const choice = choices.get(printerUri) ?? 'copy';
      await settleUnknown(job, 'the engine stopped while this was being sent', choice, 'SENDING');
      log.warn(
        { jobId: job.id, printerUri, choice },
        `print spool: job ${job.id} was being sent when the engine stopped; ${choice === 'copy' ? 'a copy marked as a reprint follows' : 'the cashier is asked'}`,
      );
    }
  }

  const sleepOrWake = (printerUri: string, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wakers.set(printerUri, () => {
        clearTimeout(timer);
        resolve();
      });
    }).finally(() => wakers.delete(printerUri));

  async function run(printerUri: string): Promise<void> {
    await settleInterrupted(printerUri);
    let failures = 0;
    for (let job = await next(printerUri); job && !stopped; job = await next(printerUri)) {
      let bytes: Uint8Array;
      try {
        bytes = encodeDocument(job.document, profiles.get(printerUri));
      } catch (err) {
        // A document the encoder refuses will never print: it must not hold up the receipts behind it.
        await sql.query(`UPDATE sales.receipts SET status = 'FAILED', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
          job.id,
          `cannot be encoded: ${(err as Error).message}`,
        ]);
        log.warn({ err, jobId: job.id }, `print spool: job ${job.id} cannot be encoded and was set aside`);
        continue;
      }
      const id = job.id;
      const result = await send(printerUri, bytes, async () => {
        // On record before the first byte goes: a kill from here on leaves a job that is not sent again blindly.
        const [marked] = await sql.query<{ id: string }>(
          `UPDATE sales.receipts SET status = 'SENDING', attempts = attempts + 1, updated_at = $2 WHERE id = $1 AND status = 'PENDING' RETURNING id`,
          [id, now()],
        );
        if (!marked) throw new DeviceError('FAILED', `job ${id} is no longer waiting to print`);
      }).catch(
        // Nothing was sent (the job changed under the spool, or the database failed): tried again later.
        (err: unknown): JobResult => ({
          outcome: 'not-sent',
          support: track(printerUri).support,
          conditions: [],
          health: 'offline',
          error: err instanceof DeviceError ? err : new DeviceError('FAILED', (err as Error).message),
        }),
      );
      if (result.outcome === 'printed') {
        await sql.query(`UPDATE sales.receipts SET status = 'PRINTED', printed_at = $2, last_error = NULL, updated_at = $2 WHERE id = $1`, [
          id,
          now(),
        ]);
        failures = 0;
        await changed(printerUri);
        continue;
      }
      if (result.outcome === 'not-sent') {
        await sql.query(
          `UPDATE sales.receipts SET attempts = attempts + 1, last_error = $2, updated_at = $3 WHERE id = $1 AND status = 'PENDING'`,
          [id, result.error.message, now()],
        );
      } else {
        const choice = choices.get(printerUri) ?? 'copy';
        await settleUnknown(job, result.error.message, choice, 'SENDING');
        log.warn(
          { jobId: id, printerUri, choice, reason: result.error.message },
          `print spool: whether job ${id} printed is unknown (${result.error.message}); ${choice === 'copy' ? 'a copy marked as a reprint follows' : 'the cashier is asked'}`,
        );
      }
      await changed(printerUri);
      await sleepOrWake(printerUri, backoff[Math.min(failures++, backoff.length - 1)]!);
    }
  }

  function kick(printerUri: string): void {
    if (stopped) return;
    if (loops.has(printerUri)) {
      wakers.get(printerUri)?.();
      return;
    }
    const loop = run(printerUri)
      .catch((err: unknown) => log.warn({ err, printerUri }, `print spool: ${printerUri} stopped`))
      .finally(() => {
        loops.delete(printerUri);
        void changed(printerUri).catch(() => undefined);
      });
    loops.set(printerUri, loop);
  }

  const checking = new Set<string>();
  /**
   * Asks the printer how it is, in its lane (never in the middle of a job), and tells the screens
   * when that changed. A printer seen ready again gets its waiting jobs now, not at the end of
   * its backoff.
   */
  async function check(printerUri: string): Promise<void> {
    if (stopped || checking.has(printerUri)) return;
    checking.add(printerUri);
    try {
      const moved = await inLane(printerUri, async () => {
        try {
          const seen = await checkPrinter(opener(printerUri), knowledge(printerUri), timeoutMs);
          // A job's error stays until a job prints: a printer that answers is not proof that receipts get through.
          return learn(printerUri, { support: seen.support, health: healthFrom(seen.conditions), conditions: seen.conditions });
        } catch (err) {
          const health = err instanceof DeviceError && err.code === 'TIMEOUT' ? 'hung' : 'offline';
          return learn(printerUri, { health, error: (err as Error).message });
        }
      });
      if (moved) {
        await changed(printerUri);
        if (track(printerUri).health === 'online') kick(printerUri);
      }
    } finally {
      checking.delete(printerUri);
    }
  }

  const queue = {
    /**
     * Stores the job, then starts its printer's loop; answers the job's id, or null when `once`
     * found the job already kept. Written `in` a caller's transaction, the printer is left for
     * the caller to wake once that commits: a loop started now could not see the row yet.
     */
    async enqueue(job: NewPrintJob, opts: { in?: SqlSession } = {}): Promise<string | null> {
      if (job.printerUri !== null) parsePrinterUri(job.printerUri);
      const id = uuidv7();
      // The first of invoice, sale, return and shift a job names is what it belongs to (a sale's receipt also names the shift).
      const [kept] = await (opts.in ?? sql).query<{ id: string }>(
        `INSERT INTO sales.receipts (id, register_id, sale_id, return_id, shift_id, employee_id, invoice_id, request_key, kind, copy_number, printer_uri, status, document)
        SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $13::uuid, $14::text, $7::text, $8::int, $9::text, $10::text, $11::jsonb
        WHERE NOT $12::boolean OR NOT EXISTS (SELECT 1 FROM sales.receipts r WHERE r.kind = $7 AND r.copy_number = $8 AND r.deleted_at IS NULL
          AND CASE WHEN $13::uuid IS NOT NULL THEN r.invoice_id = $13 WHEN $3::uuid IS NOT NULL THEN r.sale_id = $3
                   WHEN $4::uuid IS NOT NULL THEN r.return_id = $4 ELSE r.shift_id = $5 END)
        RETURNING id`,
        [
          id,
          job.registerId,
          job.saleId ?? null,
          job.returnId ?? null,
          job.shiftId ?? null,
          job.employeeId ?? null,
          job.kind,
          job.copyNumber ?? 0,
          job.printerUri,
          job.printerUri === null ? 'UNSENT' : 'PENDING',
          JSON.stringify(job.document),
          job.once === true,
          job.invoiceId ?? null,
          job.requestKey ?? null,
        ],
      );
      if (kept && job.printerUri !== null && !opts.in) kick(job.printerUri);
      return kept?.id ?? null;
    },

    /**
     * Sends bytes now, in the printer's lane, without keeping them (the test page): answered once
     * the printer confirmed them, else the printer's error, and an error too when whether they
     * came out is unknown.
     */
    async sendNow(printerUri: string, bytes: Uint8Array): Promise<JobOutcome> {
      parsePrinterUri(printerUri);
      try {
        return outcomeOf(await send(printerUri, bytes));
      } finally {
        void changed(printerUri).catch(() => undefined);
      }
    },

    /**
     * Asks an idle printer how it is, every intervalMs, so a cover opened, paper run out or a
     * printer gone silent between sales shows on the screen before the next receipt. Answers a
     * function that stops the watch.
     */
    watch(printerUri: string, intervalMs = STATUS_POLL_MS): () => void {
      parsePrinterUri(printerUri);
      const timer = setInterval(() => void check(printerUri).catch(() => undefined), intervalMs);
      timer.unref();
      watches.add(timer);
      void check(printerUri).catch(() => undefined);
      return () => {
        clearInterval(timer);
        watches.delete(timer);
      };
    },

    /**
     * Opens the drawer on this printer now, on a connection of its own: never behind a job that
     * is printing or stalled. Fails at once when it cannot: a drawer must never open later, in
     * front of nobody. What it learns of the printer's condition is shown; a job's error is not
     * cleared by it (the drawer opening says nothing of the receipts).
     */
    async openDrawer(printerUri: string): Promise<JobOutcome> {
      parsePrinterUri(printerUri);
      try {
        const seen = await openDrawerNow(opener(printerUri), knowledge(printerUri), timeoutMs);
        if (learn(printerUri, { support: seen.support, health: healthFrom(seen.conditions), conditions: seen.conditions }))
          void changed(printerUri).catch(() => undefined);
        return { statusSupported: seen.support === 'yes', conditions: seen.conditions };
      } catch (err) {
        const health = err instanceof DeviceError && err.code === 'TIMEOUT' ? 'hung' : 'offline';
        if (learn(printerUri, { health })) void changed(printerUri).catch(() => undefined);
        throw err;
      }
    },

    /** The cashier's word on a job whose outcome was unknown: it came out (PRINTED), or a copy marked as a reprint. */
    async settle(receiptId: string, outcome: 'PRINTED' | 'REPRINT', by: string): Promise<{ copyId: string | null }> {
      const [job] = await sql.query<JobRow>(
        `SELECT id, register_id, sale_id, return_id, shift_id, employee_id, invoice_id, kind, printer_uri, document FROM sales.receipts
         WHERE id = $1 AND status = 'UNCERTAIN' AND deleted_at IS NULL`,
        [receiptId],
      );
      if (!job) throw new DeviceError('NOT_FOUND', `no receipt ${receiptId} is waiting to be confirmed`);
      let copyId: string | null = null;
      if (outcome === 'PRINTED') {
        await sql.query(
          `UPDATE sales.receipts SET status = 'PRINTED', printed_at = $2, last_error = $3, updated_at = $2 WHERE id = $1 AND status = 'UNCERTAIN'`,
          [receiptId, now(), `seen printed by ${by}`],
        );
      } else {
        copyId = await settleUnknown(job, `a copy asked for by ${by}`, 'copy', 'UNCERTAIN');
        kick(job.printer_uri);
      }
      void changed(job.printer_uri).catch(() => undefined);
      return { copyId };
    },

    async uncertain(): Promise<UncertainJob[]> {
      const rows = await sql.query<{
        id: string;
        printer_uri: string;
        kind: UncertainJob['kind'];
        sale_id: string | null;
        created_at: Date;
        last_error: string | null;
      }>(
        `SELECT id, printer_uri, kind, sale_id, created_at, last_error FROM sales.receipts
         WHERE status = 'UNCERTAIN' AND deleted_at IS NULL ORDER BY created_at, id LIMIT 50`,
      );
      return rows.map((r) => ({
        receiptId: r.id,
        printerUri: r.printer_uri,
        kind: r.kind,
        saleId: r.sale_id,
        createdAt: r.created_at,
        reason: r.last_error,
      }));
    },

    /** The model (code page table) a printer is encoded for; set from the device settings. */
    setProfile(printerUri: string, profile: PrinterProfile): void {
      profiles.set(printerUri, profile);
    },

    /** The register's printer as its settings say (model, code page, the store's logo, the store's choice on unknown outcomes). */
    usePrinter(printer: PrinterSetup): void {
      const logo = printer.logo ? decodeLogo(printer.logo) : null;
      profiles.set(printer.uri, {
        ...(printer.model ? { model: printer.model } : {}),
        ...(printer.codepage ? { codepage: printer.codepage } : {}),
        ...(logo ? { logo } : {}),
      });
      choices.set(printer.uri, printer.uncertain ?? 'copy');
    },

    /** The test page, sent at once in the printer's lane; throws the printer's own error, and when nothing is known to have printed. */
    printTestPage(printer: PrinterSetup, now: Date): Promise<JobOutcome & { document: ReceiptDocument }> {
      return sendTestPage((uri, bytes) => queue.sendNow(uri, bytes), printer, now);
    },

    /** At start: every printer with jobs left from before (waiting, or cut off while being sent) gets its loop. */
    async resume(): Promise<void> {
      const printers = await sql.query<{ printer_uri: string }>(
        `SELECT DISTINCT printer_uri FROM sales.receipts WHERE status IN ('PENDING', 'SENDING') AND deleted_at IS NULL`,
      );
      for (const p of printers) kick(p.printer_uri);
    },

    /** The "retry" key: the printer is asked how it is now, and its waiting jobs are tried now instead of at their next backoff. */
    retry(printerUri: string): void {
      kick(printerUri);
      void check(printerUri).catch(() => undefined);
    },

    /** Look for waiting jobs now: a job was kept in a transaction that has committed. */
    wake: kick,

    async status(): Promise<PrinterState[]> {
      const rows = await sql.query<{ printer_uri: string; pending: number; uncertain: number }>(
        `SELECT printer_uri, count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE status = 'UNCERTAIN')::int AS uncertain
         FROM sales.receipts WHERE printer_uri IS NOT NULL AND deleted_at IS NULL GROUP BY printer_uri ORDER BY printer_uri`,
      );
      return rows.map((r) => stateOf(r.printer_uri, r));
    },

    /** How a printer is, whether or not it has jobs (the register's own printer before its first). */
    stateOf(printerUri: string): PrinterState {
      return stateOf(printerUri, { pending: 0, uncertain: 0 });
    },

    /** Stops after the job in hand; what is left prints at the next start. */
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of watches) clearInterval(timer);
      for (const wake of wakers.values()) wake();
      await Promise.all(loops.values());
    },
  };
  return queue satisfies PrintQueue;
}

export type PrintSpool = ReturnType<typeof createPrintSpool>;
