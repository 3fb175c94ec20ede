// One stamping pass over this register's PENDING invoices, oldest first. For each: the CFDI is
// rebuilt (issued now), sealed with the CSD, and the sealed XML written and journaled as an
// attempt BEFORE it goes to the PAC; then the PAC's answer is recorded once. Never two CFDIs for
// one sale: an invoice that already has an attempt sends that very XML again (a PAC that stamped
// it answers with that stamp, code 307), and a new document is sealed only when the last one is
// past the SAT's 72 hours and the PAC says it never stamped it. A credit note waits for its
// ingreso's UUID: it is left out of a pass while the ingreso is PENDING, and follows it in the
// pass that stamps it.
//
// The PAC is called outside the write queue: selling never waits for it.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { stampAttempts } from '#db/schema/billing.ts';
import { cfdiToXml } from '#engine/fiscal/mx/cfdi-xml.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import { PacError, type PacClient, type Stamp } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, SealError, sealComprobante } from '#engine/fiscal/mx/seal.ts';
import { log } from '#engine/log/logger.ts';
import { cfdiOfInvoice, type PendingInvoice, pendingCreditNotesOf, pendingInvoices } from './cfdi-of-invoice.ts';
import { cancelAnsweredKey, INVOICE_CANCEL_ANSWERED } from './cancellation-facts.ts';
import type { FiscalServices } from './fiscal-services.ts';
import {
  INVOICE_REJECTED,
  INVOICE_SEALED,
  INVOICE_STAMPED,
  type InvoiceRejectedFact,
  type InvoiceSealedFact,
  type InvoiceStampedFact,
  insertAttempt,
  markRejectedWith,
  markStamped,
  rejectedFactKey,
  sealedFactKey,
  stampedFactKey,
} from './stamp-facts.ts';

/** The SAT's window to stamp a CFDI after its Fecha. */
export const STAMP_WINDOW_MS = 72 * 3600 * 1000;

export type StampOutcome = {
  invoiceId: string;
  series: string;
  folio: number;
  status: 'ISSUED' | 'REJECTED' | 'PENDING';
  uuid?: string;
  code?: string;
  message?: string;
};

/**
 * Why a pass stopped before the end: the CSD cannot seal (nothing was sent), the PAC refused the
 * account, or the PAC is unreachable. What is left stays PENDING for a later pass.
 */
export type StampHalt = { reason: 'CSD' | 'AUTH' | 'UNAVAILABLE'; code: string; message: string };

/** `more`: the pass took a full page of invoices, so others may be waiting behind it. */
export type StampPass = { outcomes: StampOutcome[]; halted: StampHalt | null; more?: boolean };

/** `businessId`: only that business's invoices (central holds a CSD per business). */
export type StampOptions = { pac: PacClient; csd: Csd; now?: Date; limit?: number; businessId?: string | null };

type Services = FiscalServices;

type Attempt = { id: string; xml: string; sealedAt: Date };

async function lastAttempt(services: Services, invoiceId: string): Promise<Attempt | null> {
  const [row] = await services.sql.query<{ id: string; xml: string; sealed_at: Date }>(
    `SELECT id, xml, sealed_at FROM billing.stamp_attempts WHERE invoice_id = $1 AND deleted_at IS NULL
     ORDER BY sealed_at DESC, id DESC LIMIT 1`,
    [invoiceId],
  );
  return row ? { id: row.id, xml: row.xml, sealedAt: new Date(row.sealed_at) } : null;
}

/** Builds and seals the CFDI and keeps it, journaled, before anything is sent. */
async function sealAttempt(services: Services, invoice: PendingInvoice, opts: Required<StampOptions>): Promise<Attempt> {
  const built = await cfdiOfInvoice(services.sql, invoice, opts.now);
  const { comprobante } = sealComprobante(built.comprobante, opts.csd, built.issuedAt);
  const attempt = { id: uuidv7(), xml: cfdiToXml(comprobante), sealedAt: built.issuedAt };
  const fact: InvoiceSealedFact = {
    attempt: toRow(stampAttempts, {
      id: attempt.id,
      invoiceId: invoice.id,
      provider: opts.pac.provider,
      xml: attempt.xml,
      sealedAt: attempt.sealedAt,
      createdAt: opts.now,
      updatedAt: opts.now,
      deletedAt: null,
    }),
  };
  await services.writes(async () => {
    await insertAttempt(services.sql, fact);
    services.journal.append(INVOICE_SEALED, sealedFactKey(attempt.id), fact);
  });
  return attempt;
}

async function recordStamp(services: Services, invoiceId: string, attemptId: string, provider: string, stamp: Stamp) {
  const fact: InvoiceStampedFact = {
    invoiceId,
    uuid: stamp.uuid,
    issuedAt: services.now().toISOString(),
    fiscalData: {
      provider,
      attemptId,
      uuid: stamp.uuid,
      fechaTimbrado: stamp.fechaTimbrado,
      noCertificadoSat: stamp.noCertificadoSat,
      selloSat: stamp.selloSat,
      rfcProvCertif: stamp.rfcProvCertif,
      xml: stamp.xml,
    },
  };
  await services.writes(async () => {
    if (await markStamped(services.sql, fact)) services.journal.append(INVOICE_STAMPED, stampedFactKey(invoiceId), fact);
  });
}

async function recordRejection(services: Services, invoiceId: string, rejection: InvoiceRejectedFact['fiscalData']) {
  const fact: InvoiceRejectedFact = { invoiceId, rejectedAt: services.now().toISOString(), fiscalData: rejection };
  await services.writes(async () => {
    const effects = await markRejectedWith(services.sql, fact);
    if (effects === null) return;
    services.journal.append(INVOICE_REJECTED, rejectedFactKey(invoiceId), fact);
    // Its credit notes, refused with it, and the cancellation a refused substitute leaves
    // answered: each as its own fact too (replaying this one does them as well).
    for (const r of effects.creditNotes) services.journal.append(INVOICE_REJECTED, rejectedFactKey(r.invoiceId), r);
    for (const a of effects.answers) services.journal.append(INVOICE_CANCEL_ANSWERED, cancelAnsweredKey(a.answer.id as string), a);
  });
}

/** The PAC's stamp for this invoice: of the attempt already sent when it may still be, else of a new one. */
async function stampOf(
  services: Services,
  invoice: PendingInvoice,
  opts: Required<StampOptions>,
): Promise<{ attemptId: string; stamp: Stamp }> {
  const key = invoice.id;
  let attempt = await lastAttempt(services, invoice.id);
  if (attempt && opts.now.getTime() - attempt.sealedAt.getTime() >= STAMP_WINDOW_MS) {
    // Past the window the PAC would refuse the XML for its Fecha, stamped or not: ask what it made.
    const earlier = await opts.pac.stamped({ xml: attempt.xml, key });
    if (earlier) return { attemptId: attempt.id, stamp: earlier };
    attempt = null;
  }
  attempt ??= await sealAttempt(services, invoice, opts);
  return { attemptId: attempt.id, stamp: await opts.pac.stamp({ xml: attempt.xml, key }) };
}

/** One invoice sent and answered: its outcome, or why the whole pass must stop. */
async function stampOne(services: Services, invoice: PendingInvoice, opts: Required<StampOptions>): Promise<StampOutcome | StampHalt> {
  const outcome = { invoiceId: invoice.id, series: invoice.series, folio: Number(invoice.folio) };
  try {
    const { attemptId, stamp } = await stampOf(services, invoice, opts);
    await recordStamp(services, invoice.id, attemptId, opts.pac.provider, stamp);
    return { ...outcome, status: 'ISSUED', uuid: stamp.uuid };
  } catch (err) {
    if (err instanceof SealError) {
      // The CSD (expired, another RFC's) fails every invoice alike: say so once, send nothing.
      return { reason: 'CSD', code: err.code, message: err.message };
    }
    if (err instanceof PacError) {
      if (err.code === 'REJECTED') {
        const attempt = await lastAttempt(services, invoice.id);
        const code = err.pacCode ?? err.code;
        const message = err.pacMessage ?? err.message;
        await recordRejection(services, invoice.id, { provider: opts.pac.provider, attemptId: attempt?.id ?? null, code, message });
        return { ...outcome, status: 'REJECTED', code, message };
      }
      if (err.code === 'AUTH' || err.code === 'UNAVAILABLE') {
        return { reason: err.code, code: err.pacCode ?? err.code, message: err.message };
      }
      // An answer that cannot be read: this invoice waits for the next pass; the others go on.
      log.warn({ invoiceId: invoice.id, errorCode: err.code, pacCode: err.pacCode }, `stamping: ${err.message}`);
      return { ...outcome, status: 'PENDING', code: err.code, message: err.message };
    }
    if (err instanceof FiscalMxError) {
      // The document itself cannot be made any more (a catalog rule, a receiver no longer valid,
      // a credit note's ingreso gone): it would fail the same way on every pass. Refused here, and
      // the sale (or the return) freed to be accounted for again.
      const attempt = await lastAttempt(services, invoice.id);
      await recordRejection(services, invoice.id, {
        provider: opts.pac.provider,
        attemptId: attempt?.id ?? null,
        code: err.code,
        message: err.message,
      });
      return { ...outcome, status: 'REJECTED', code: err.code, message: err.message };
    }
    throw err;
  }
}

export async function stampPending(services: Services, options: StampOptions): Promise<StampPass> {
  const opts: Required<StampOptions> = { now: services.now(), limit: 20, businessId: null, ...options };
  const outcomes: StampOutcome[] = [];
  let batch = await pendingInvoices(services.sql, opts.limit, opts.businessId);
  const more = batch.length === opts.limit;
  while (batch.length > 0) {
    const answered: string[] = [];
    for (const invoice of batch) {
      const result = await stampOne(services, invoice, opts);
      if ('reason' in result) {
        if (result.reason !== 'CSD') {
          outcomes.push({
            invoiceId: invoice.id,
            series: invoice.series,
            folio: Number(invoice.folio),
            status: 'PENDING',
            code: result.reason,
            message: result.message,
          });
        }
        return { outcomes, halted: result };
      }
      outcomes.push(result);
      if (result.status !== 'PENDING') answered.push(invoice.id);
    }
    // The credit notes that waited for these ingresos go now, rather than a pass later.
    batch = await pendingCreditNotesOf(services.sql, answered);
  }
  return { outcomes, halted: null, more };
}
