// The persistent print spool: every receipt and report is a row in sales.receipts before a byte
// is sent, so a printer out of paper or unplugged keeps its jobs across restarts and prints
// them, in order and once each, when it answers again. Each printer has its own lane, so one
// failing printer never holds up another. Printing never blocks a sale. This is the PrintQueue
// of ports.ts: services hand it documents, it turns them into bytes.
import { v7 as uuidv7 } from 'uuid';
import type { SqlSession } from '#db/sql-session.ts';
import { encodeDocument, type PrinterProfile } from './escpos.ts';
import { openDrawerNow, PrinterConditionError, readPrinterStatus, sendJob, type JobOutcome } from './print-job.ts';
import { openPrinterLink } from './printer-link.ts';
import { decodeLogo } from './receipt-logo.ts';
import { sendTestPage } from './test-page.ts';
import { parsePrinterUri, type PrinterAddress } from '#contract/printer-uri.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { PrinterCondition, PrinterState } from '#contract/printer-state.ts';
import { log } from '#engine/log/logger.ts';
import type { NewPrintJob, PrinterSetup, PrintQueue } from '#engine/ports.ts';

export type { NewPrintJob } from '#engine/ports.ts';

export type Send = (address: PrinterAddress, bytes: Uint8Array, statusSupported: boolean | null) => Promise<JobOutcome>;
export type OpenDrawer = (address: PrinterAddress, statusSupported: boolean | null) => Promise<JobOutcome>;

export type { PrinterState } from '#contract/printer-state.ts';

/** Waits between attempts at a printer that failed: quick at first, then every 30 s. */
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
const JOB_TIMEOUT_MS = 5_000;
const STATUS_POLL_MS = 30_000;

/** Connects, sends one job with its status checks, and hangs up; a printer silent for timeoutMs fails it. */
export const printerSender =
  (timeoutMs = JOB_TIMEOUT_MS): Send =>
  async (address, bytes, statusSupported) => {
    const link = await openPrinterLink(address, timeoutMs);
    try {
      return await sendJob(link, bytes, { statusSupported, timeoutMs });
    } finally {
      await link.close();
    }
  };

/** Connects, opens the drawer (in real time if the printer is stopped), and hangs up. */
export const drawerOpener =
  (timeoutMs = JOB_TIMEOUT_MS): OpenDrawer =>
  async (address, statusSupported) => {
    const link = await openPrinterLink(address, timeoutMs);
    try {
      return await openDrawerNow(link, { statusSupported, timeoutMs });
    } finally {
      await link.close();
    }
  };

export type SpoolOptions = {
  send?: Send;
  openDrawer?: OpenDrawer;
  now?: () => Date;
  backoffMs?: readonly number[];
  /** Told whenever a printer's queue or condition changes (the UI's printer badge). */
  onChange?: (state: PrinterState) => void;
};

export function createPrintSpool(sql: SqlSession, opts: SpoolOptions = {}) {
  const send = opts.send ?? printerSender();
  const drawer = opts.openDrawer ?? drawerOpener();
  const now = opts.now ?? (() => new Date());
  const backoff = opts.backoffMs ?? BACKOFF_MS;
  const loops = new Map<string, Promise<void>>();
  const lastErrors = new Map<string, string | null>();
  const conditions = new Map<string, PrinterCondition[]>();
  const statusSupport = new Map<string, boolean>();
  const profiles = new Map<string, PrinterProfile>();
  const wakers = new Map<string, () => void>();
  /** One job at a time per printer: many printers take one connection at a time. */
  const lanes = new Map<string, Promise<unknown>>();
  const watches = new Set<NodeJS.Timeout>();
  let stopped = false;

  function inLane<T>(printerUri: string, work: () => Promise<T>): Promise<T> {
    const result = (lanes.get(printerUri) ?? Promise.resolve()).catch(() => undefined).then(work);
    lanes.set(
      printerUri,
      result.catch(() => undefined),
    );
    return result;
  }

  async function transmit(printerUri: string, bytes: Uint8Array | 'open drawer'): Promise<JobOutcome> {
    return inLane(printerUri, async () => {
      try {
        const address = parsePrinterUri(printerUri);
        const known = statusSupport.get(printerUri) ?? null;
        const outcome = bytes === 'open drawer' ? await drawer(address, known) : await send(address, bytes, known);
        statusSupport.set(printerUri, outcome.statusSupported);
        conditions.set(printerUri, outcome.conditions);
        lastErrors.set(printerUri, null);
        return outcome;
      } catch (err) {
        conditions.set(printerUri, err instanceof PrinterConditionError ? err.conditions : []);
        lastErrors.set(printerUri, (err as Error).message);
        throw err;
      }
    });
  }

  async function pendingCount(printerUri: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales.receipts WHERE printer_uri = $1 AND status = 'PENDING' AND deleted_at IS NULL`,
      [printerUri],
    );
    return row?.n ?? 0;
  }

  async function changed(printerUri: string): Promise<void> {
    if (!opts.onChange) return;
    opts.onChange({
      printerUri,
      pending: await pendingCount(printerUri),
      lastError: lastErrors.get(printerUri) ?? null,
      conditions: conditions.get(printerUri) ?? [],
      printing: loops.has(printerUri),
    });
  }

  async function next(printerUri: string) {
    const [job] = await sql.query<{ id: string; document: ReceiptDocument; created_at: Date }>(
      `SELECT id, document, created_at FROM sales.receipts WHERE printer_uri = $1 AND status = 'PENDING' AND deleted_at IS NULL
       ORDER BY created_at, id LIMIT 1`,
      [printerUri],
    );
    return job;
  }

  function bytesOf(printerUri: string, job: { document: ReceiptDocument }): Uint8Array {
    return encodeDocument(job.document, profiles.get(printerUri));
  }

  async function run(printerUri: string): Promise<void> {
    let failures = 0;
    for (let job = await next(printerUri); job && !stopped; job = await next(printerUri)) {
      let bytes: Uint8Array;
      try {
        bytes = bytesOf(printerUri, job);
      } catch (err) {
        // A document the encoder refuses will never print: it must not hold up the receipts behind it.
        await sql.query(`UPDATE sales.receipts SET status = 'FAILED', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
          job.id,
          `cannot be encoded: ${(err as Error).message}`,
        ]);
        log.warn({ err, jobId: job.id }, `print spool: job ${job.id} cannot be encoded and was set aside`);
        continue;
      }
      try {
        await transmit(printerUri, bytes);
        await sql.query(
          `UPDATE sales.receipts SET status = 'PRINTED', printed_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`,
          [job.id, now()],
        );
        failures = 0;
        await changed(printerUri);
      } catch (err) {
        await sql.query(`UPDATE sales.receipts SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
          job.id,
          (err as Error).message,
        ]);
        await changed(printerUri);
        const wait = backoff[Math.min(failures++, backoff.length - 1)]!;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          timer.unref();
          wakers.set(printerUri, () => {
            clearTimeout(timer);
            resolve();
          });
        });
        wakers.delete(printerUri);
      }
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

  const queue = {
    /**
     * Stores the job, then starts its printer's loop; answers the job's id, or null when `once`
     * found the job already kept. Written `in` a caller's transaction, the printer is left for
     * the caller to wake once that commits: a loop started now could not see the row yet.
     */
    async enqueue(job: NewPrintJob, opts: { in?: SqlSession } = {}): Promise<string | null> {
      if (job.printerUri !== null) parsePrinterUri(job.printerUri);
      const id = uuidv7();
      // The first of sale, return and shift a job names is what it belongs to (a sale's receipt also names the shift).
      const [kept] = await (opts.in ?? sql).query<{ id: string }>(
        `INSERT INTO sales.receipts (id, register_id, sale_id, return_id, shift_id, employee_id, kind, copy_number, printer_uri, status, document)
        SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7::text, $8::int, $9::text, $10::text, $11::jsonb
        WHERE NOT $12::boolean OR NOT EXISTS (SELECT 1 FROM sales.receipts r WHERE r.kind = $7 AND r.copy_number = $8 AND r.deleted_at IS NULL
          AND CASE WHEN $3::uuid IS NOT NULL THEN r.sale_id = $3 WHEN $4::uuid IS NOT NULL THEN r.return_id = $4 ELSE r.shift_id = $5 END)
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
        ],
      );
      if (kept && job.printerUri !== null && !opts.in) kick(job.printerUri);
      return kept?.id ?? null;
    },

    /**
     * Sends bytes now, in the printer's lane, without keeping them: a drawer kick or a status
     * check is worth nothing later, so it fails at once instead of waiting in the spool.
     */
    async sendNow(printerUri: string, bytes: Uint8Array): Promise<JobOutcome> {
      parsePrinterUri(printerUri);
      try {
        return await transmit(printerUri, bytes);
      } finally {
        void changed(printerUri).catch(() => undefined);
      }
    },

    /**
     * Asks an idle printer how it is, every intervalMs, so a cover opened or paper run out between
     * sales shows before the next receipt; a printer that does not answer status is left alone.
     * Answers a function that stops the watch.
     */
    watch(printerUri: string, intervalMs = STATUS_POLL_MS): () => void {
      parsePrinterUri(printerUri);
      const poll = async () => {
        if (stopped || loops.has(printerUri) || statusSupport.get(printerUri) === false) return;
        const before = JSON.stringify([conditions.get(printerUri) ?? [], lastErrors.get(printerUri) ?? null]);
        await inLane(printerUri, async () => {
          try {
            const link = await openPrinterLink(parsePrinterUri(printerUri), Math.min(intervalMs, JOB_TIMEOUT_MS));
            try {
              const seen = await readPrinterStatus(link, Math.min(intervalMs, JOB_TIMEOUT_MS));
              statusSupport.set(printerUri, seen !== null);
              conditions.set(printerUri, seen ?? []);
              lastErrors.set(printerUri, null);
            } finally {
              await link.close();
            }
          } catch (err) {
            lastErrors.set(printerUri, (err as Error).message);
          }
        });
        if (JSON.stringify([conditions.get(printerUri) ?? [], lastErrors.get(printerUri) ?? null]) !== before) await changed(printerUri);
      };
      const timer = setInterval(() => void poll().catch(() => undefined), intervalMs);
      timer.unref();
      watches.add(timer);
      void poll().catch(() => undefined);
      return () => {
        clearInterval(timer);
        watches.delete(timer);
      };
    },

    /**
     * Opens the drawer on this printer now, in the printer's lane (after the job it is printing),
     * and fails at once when it cannot: a drawer must never open later, in front of nobody.
     */
    async openDrawer(printerUri: string): Promise<JobOutcome> {
      parsePrinterUri(printerUri);
      try {
        return await transmit(printerUri, 'open drawer');
      } finally {
        void changed(printerUri).catch(() => undefined);
      }
    },

    /** The model (code page table) a printer is encoded for; set from the device settings. */
    setProfile(printerUri: string, profile: PrinterProfile): void {
      profiles.set(printerUri, profile);
    },

    /** The register's printer as its settings say (model, code page, the store's logo), for the jobs it prints next. */
    usePrinter(printer: PrinterSetup): void {
      const logo = printer.logo ? decodeLogo(printer.logo) : null;
      profiles.set(printer.uri, {
        ...(printer.model ? { model: printer.model } : {}),
        ...(printer.codepage ? { codepage: printer.codepage } : {}),
        ...(logo ? { logo } : {}),
      });
    },

    /** The test page, sent at once in the printer's lane; throws the printer's own error. */
    printTestPage(printer: PrinterSetup, now: Date): Promise<JobOutcome & { document: ReceiptDocument }> {
      return sendTestPage((uri, bytes) => queue.sendNow(uri, bytes), printer, now);
    },

    /** At start: every printer with jobs left from before gets its loop. */
    async resume(): Promise<void> {
      const printers = await sql.query<{ printer_uri: string }>(
        `SELECT DISTINCT printer_uri FROM sales.receipts WHERE status = 'PENDING' AND deleted_at IS NULL`,
      );
      for (const p of printers) kick(p.printer_uri);
    },

    /** Try a failing printer now instead of at its next backoff (the "retry" button). */
    retry: kick,

    /** Look for waiting jobs now: a job was kept in a transaction that has committed. */
    wake: kick,

    async status(): Promise<PrinterState[]> {
      const rows = await sql.query<{ printer_uri: string; pending: number }>(
        `SELECT printer_uri, count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM sales.receipts
         WHERE printer_uri IS NOT NULL AND deleted_at IS NULL GROUP BY printer_uri ORDER BY printer_uri`,
      );
      return rows.map((r) => ({
        printerUri: r.printer_uri,
        pending: r.pending,
        lastError: lastErrors.get(r.printer_uri) ?? null,
        conditions: conditions.get(r.printer_uri) ?? [],
        printing: loops.has(r.printer_uri),
      }));
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
