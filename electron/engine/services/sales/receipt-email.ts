// An e-mailed receipt, asked for at the counter. The terminal never talks to a mail server: it
// journals the request, sync carries it, and central (which holds the sale too) sends it. The
// journal is the request's only record here, so asking twice for one sale and address is one
// fact, and a request made offline leaves with the next push.
import { v7 as uuidv7 } from 'uuid';
import type { EngineContainer } from '#engine/container.ts';
import { receiptLocale } from '#contract/receipt-document.ts';

export const RECEIPT_EMAIL_REQUESTED = 'receipt.email_requested';

export type ReceiptEmailFact = {
  id: string;
  saleId: string;
  businessId: string;
  email: string;
  /** The template's language: the store's country's Spanish (es-MX, es-CO, es-AR). */
  locale: string;
  requestedAt: string;
  /** The employee who typed it. */
  by: string;
};

export const receiptEmailKey = (saleId: string, email: string) => `receipt-email:${saleId}:${email}`;

type Request = { saleId: string; businessId: string; currency: string; email: string; by: string; at: Date };

/** The request as a journal entry: for appending with the sale it belongs to, in one write. */
export function receiptEmailEntry(r: Request): { kind: string; idempotencyKey: string; payload: ReceiptEmailFact } {
  return {
    kind: RECEIPT_EMAIL_REQUESTED,
    idempotencyKey: receiptEmailKey(r.saleId, r.email),
    payload: {
      id: uuidv7(),
      saleId: r.saleId,
      businessId: r.businessId,
      email: r.email,
      locale: receiptLocale(r.currency),
      requestedAt: r.at.toISOString(),
      by: r.by,
    },
  };
}

/** Journals the request; `queued` is false when this sale's receipt was already asked for at this address. */
export function requestReceiptEmail(services: Pick<EngineContainer, 'journal'>, r: Request): { requestId: string; queued: boolean } {
  const entry = receiptEmailEntry(r);
  const { fact, appended } = services.journal.append(entry.kind, entry.idempotencyKey, entry.payload);
  return { requestId: fact.payload.id, queued: appended };
}
