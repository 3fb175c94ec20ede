// The persistent print spool: every receipt and report is a row in sales.receipts before a byte
// is sent, so a printer out of paper or unplugged keeps its jobs across restarts and prints
// them, in order and once each, when it answers again. Each printer has its own loop, so one
// failing printer never holds up another. Printing never blocks a sale.
import { v7 as uuidv7 } from 'uuid';
import type { SqlSession } from '../../../db/sql-session.ts';
import type { RECEIPT_KINDS } from '../../../db/schema/sales.ts';
import { encodeDocument } from './escpos.ts';
import { parsePrinterUri, type PrinterAddress } from './printer-uri.ts';
import type { ReceiptDocument } from './receipt-document.ts';
import { sendTcp } from './tcp-printer.ts';

export type NewPrintJob = {
  registerId: string;
  kind: (typeof RECEIPT_KINDS)[number];
  printerUri: string;
  document: ReceiptDocument;
  saleId?: string | null;
  returnId?: string | null;
  shiftId?: string | null;
  employeeId?: string | null;
  copyNumber?: number;
};

export type Send = (address: PrinterAddress, bytes: Uint8Array) => Promise<void>;

export type PrinterState = { printerUri: string; pending: number; lastError: string | null; printing: boolean };

/** Waits between attempts at a printer that failed: quick at first, then every 30 s. */
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export const sendToPrinter: Send = async (address, bytes) => {
  if (address.transport === 'tcp') return sendTcp(address.host, address.port, bytes);
  throw new Error(`${address.transport} printers are not connected in this build yet`);
};

export function createPrintSpool(sql: SqlSession, opts: { send?: Send; now?: () => Date; backoffMs?: readonly number[] } = {}) {
  const send = opts.send ?? sendToPrinter;
  const now = opts.now ?? (() => new Date());
  const backoff = opts.backoffMs ?? BACKOFF_MS;
  const loops = new Map<string, Promise<void>>();
  const lastErrors = new Map<string, string | null>();
  const wakers = new Map<string, () => void>();
  let stopped = false;

  async function next(printerUri: string) {
    const [job] = await sql.query<{ id: string; document: ReceiptDocument; attempts: number }>(
      `SELECT id, document, attempts FROM sales.receipts WHERE printer_uri = $1 AND status = 'PENDING' AND deleted_at IS NULL
       ORDER BY created_at, id LIMIT 1`, [printerUri]);
    return job;
  }

  async function run(printerUri: string): Promise<void> {
    let failures = 0;
    for (let job = await next(printerUri); job && !stopped; job = await next(printerUri)) {
      try {
        await send(parsePrinterUri(printerUri), encodeDocument(job.document));
        await sql.query(`UPDATE sales.receipts SET status = 'PRINTED', printed_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`,
          [job.id, now()]);
        lastErrors.set(printerUri, null);
        failures = 0;
      } catch (err) {
        const message = (err as Error).message;
        lastErrors.set(printerUri, message);
        await sql.query(`UPDATE sales.receipts SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [job.id, message]);
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
      .catch((err: unknown) => console.warn(`print spool: ${printerUri} stopped:`, err))
      .finally(() => {
        loops.delete(printerUri);
      });
    loops.set(printerUri, loop);
  }

  return {
    /** Stores the job, then starts its printer's loop; answers the job's id. */
    async enqueue(job: NewPrintJob): Promise<string> {
      parsePrinterUri(job.printerUri);
      const id = uuidv7();
      await sql.query(`INSERT INTO sales.receipts (id, register_id, sale_id, return_id, shift_id, employee_id, kind, copy_number, printer_uri, document)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, job.registerId, job.saleId ?? null, job.returnId ?? null, job.shiftId ?? null, job.employeeId ?? null, job.kind,
        job.copyNumber ?? 0, job.printerUri, JSON.stringify(job.document)]);
      kick(job.printerUri);
      return id;
    },

    /** At start: every printer with jobs left from before gets its loop. */
    async resume(): Promise<void> {
      const printers = await sql.query<{ printer_uri: string }>(
        `SELECT DISTINCT printer_uri FROM sales.receipts WHERE status = 'PENDING' AND deleted_at IS NULL`);
      for (const p of printers) kick(p.printer_uri);
    },

    /** Try a failing printer now instead of at its next backoff (the "retry" button). */
    retry: kick,

    async status(): Promise<PrinterState[]> {
      const rows = await sql.query<{ printer_uri: string; pending: number }>(
        `SELECT printer_uri, count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM sales.receipts
         WHERE deleted_at IS NULL GROUP BY printer_uri ORDER BY printer_uri`);
      return rows.map((r) => ({ printerUri: r.printer_uri, pending: r.pending, lastError: lastErrors.get(r.printer_uri) ?? null, printing: loops.has(r.printer_uri) }));
    },

    /** Stops after the job in hand; what is left prints at the next start. */
    async stop(): Promise<void> {
      stopped = true;
      for (const wake of wakers.values()) wake();
      await Promise.all(loops.values());
    },
  };
}

export type PrintSpool = ReturnType<typeof createPrintSpool>;
