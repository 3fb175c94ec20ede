// Invoices asked for at the counter: a CFDI for one sale, written at once as PENDING and stamped
// by the authority later (a sale never waits for it), and the state of the invoices of a sale.
import { z } from 'zod';
import { CANCELLATION_STATES, INVOICE_KINDS, INVOICE_STATUSES } from '../billing-vocabulary.ts';
import { call, decimal, idempotencyKey, reason, shaped, text, utcTime } from '../fields.ts';
import { receiptDocument } from '../receipt-document.ts';

/** The customer as the SAT knows them, from their Constancia de Situación Fiscal. */
export const fiscalReceiver = z
  .object({
    /** RFC: 12 characters for a company, 13 for a person; the engine checks its date and check digit. */
    rfc: shaped(13, /^[A-Za-zÑñ&]{3,4}[0-9]{6}[A-Za-z0-9]{3}$/, 'un RFC como XAXX010101000').transform((v) => v.toUpperCase()),
    /** As written on the Constancia, without the régimen de capital (S.A. de C.V.). */
    name: text(300, { min: 1 }),
    /** c_RegimenFiscal, e.g. 612 or 601. */
    taxRegime: shaped(3, /^[0-9]{3}$/, 'un régimen fiscal de 3 dígitos, como 612'),
    /** The Constancia's código postal: the DomicilioFiscalReceptor. */
    postalCode: shaped(5, /^[0-9]{5}$/, 'un código postal de 5 dígitos'),
    /** c_UsoCFDI, e.g. G03 or S01; it must go with the régimen. */
    cfdiUse: shaped(4, /^[A-Z0-9]{3,4}$/, 'un uso de CFDI como G03'),
  })
  .strict();

/** One invoice of a sale, as the counter and the receipt show it. */
export const invoiceState = z
  .object({
    id: z.uuid(),
    kind: z.enum(INVOICE_KINDS),
    series: z.string(),
    folio: z.number().int().positive(),
    status: z.enum(INVOICE_STATUSES),
    receiverRfc: z.string(),
    receiverName: z.string(),
    total: decimal,
    requestedAt: utcTime,
    /** The folio fiscal (UUID) once stamped. */
    fiscalId: z.string().nullable(),
  })
  .strict();

export type InvoiceState = z.output<typeof invoiceState>;

/** A cancellation asked of the authority, and its last answer. */
export const invoiceCancellation = z
  .object({
    id: z.uuid(),
    invoiceId: z.uuid(),
    motive: z.enum(['01', '02', '03', '04']),
    /** REQUESTED until the authority answers; IN_PROCESS while the receiver may still refuse it. */
    state: z.enum(['REQUESTED', ...CANCELLATION_STATES]),
    /** The authority's code and words for the last answer. */
    code: z.string().nullable(),
    message: z.string().nullable(),
    requestedAt: utcTime,
  })
  .strict();

/** A factura global as the back office shows it: the invoice, the period and what it covers. */
export const globalInvoice = z
  .object({
    invoice: invoiceState,
    /** c_Periodicidad: 01 diario, 02 semanal, 03 quincenal, 04 mensual. */
    periodicity: z.enum(['01', '02', '03', '04']),
    from: z.iso.date(),
    to: z.iso.date(),
    /** Sales it lists, one concepto each. */
    sales: z.number().int().positive(),
    /** Returns it is net of. */
    returns: z.number().int().nonnegative(),
    /** Receipts of the period left out because they were returned whole. */
    omittedReceipts: z.array(z.string()),
  })
  .strict();

/** The states the back office's list of invoices can be narrowed to. */
export const INVOICE_LIST_STATUSES = ['PENDING', 'ISSUED', 'REJECTED', 'CANCELLED'] as const;

/**
 * An invoice as the back office lists it: its state, the rest of its receiver's fiscal data, why
 * the SAT refused it, which days a global covers, which return a credit note gives the money of
 * back, and which invoice a substitute replaces.
 */
export const invoiceListRow = invoiceState
  .extend({
    /** The receiver's c_RegimenFiscal, as the invoice carries it; null where its country has none. */
    receiverTaxRegime: z.string().nullable(),
    /** The receiver's fiscal address's código postal (DomicilioFiscalReceptor); null where its country has none. */
    receiverPostalCode: z.string().nullable(),
    /** The c_UsoCFDI the invoice was made out with; null where its country has none. */
    receiverCfdiUse: z.string().nullable(),
    /** A REJECTED invoice's refusal as the PAC gave it (its incidence code and the SAT's words); null otherwise. */
    reason: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    /** The days a GLOBAL covers; null for an invoice of one sale. */
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).strict().nullable(),
    /** The latest cancellation asked for it, with the authority's last answer; null if none was. */
    cancellation: invoiceCancellation.pick({ motive: true, state: true, code: true, message: true, requestedAt: true }).nullable(),
    /** A CREDIT_NOTE's return (its number and the receipt it gave back on) and the invoice it corrects; null otherwise. */
    creditNote: z
      .object({
        returnId: z.uuid(),
        returnNumber: z.number().int().positive(),
        receiptCode: z.string(),
        corrects: z.object({ series: z.string(), folio: z.number().int().positive(), fiscalId: z.string().nullable() }).strict(),
        /**
         * No live document accounts for the return now while its sale stays covered: this credit
         * note was refused on its own, and a manager may have another written (invoices.creditReturn).
         */
        creditable: z.boolean(),
      })
      .strict()
      .nullable(),
    /** For an invoice that replaces a stamped one (motive 01), the one it replaces; null otherwise. */
    replaces: z.object({ series: z.string(), folio: z.number().int().positive(), fiscalId: z.string().nullable() }).strict().nullable(),
  })
  .strict();

export type InvoiceListRow = z.output<typeof invoiceListRow>;

export const invoicesCalls = {
  /**
   * A CFDI for a paid sale of this month, for the customer named. Answered at once as PENDING;
   * the same key answers the same invoice again. Refused with the reason for a sale already
   * invoiced (individually or in a factura global), of another month, or whose customer data
   * the SAT's catalogs refuse (the field named).
   */
  'invoices.request': call('sales.sell', z.object({ saleId: z.uuid(), receiver: fiscalReceiver, idempotencyKey }).strict(), {
    output: invoiceState,
  }),
  /** The invoices written for a sale, newest first: what the receipt and the history say of it. */
  'invoices.ofSale': call('sales.sell', z.object({ saleId: z.uuid() }).strict(), { output: z.array(invoiceState) }),
  /**
   * One page of this register's invoices, newest first, all or only those in one state: what the
   * back office shows of them. Page on with `after` (the last invoice of the page), as `next` says.
   */
  'invoices.list': call(
    'invoices.manage',
    z
      .object({
        status: z.enum(INVOICE_LIST_STATUSES).optional(),
        after: z.uuid().optional(),
        limit: z.number().int().min(1).max(100).default(25),
      })
      .strict(),
    { output: z.object({ items: z.array(invoiceListRow), next: z.uuid().nullable() }).strict() },
  ),
  /**
   * The branch's factura global for the period (the fiscal profile's periodicity) that holds
   * `day`, once that period is over: every paid sale of it that no individual CFDI covers, net of
   * its returns, written PENDING and stamped like any invoice. For a register that works alone;
   * where the register syncs, central issues it. The same key answers the same global again.
   */
  'invoices.issueGlobal': call('invoices.manage', z.object({ day: z.iso.date(), idempotencyKey }).strict(), { output: globalInvoice }),
  /**
   * Asks the authority to cancel a stamped invoice: motive 02 (issued with errors, to be issued
   * again without relation), 03 (the sale did not take place) or, for a factura global, 04 (a
   * sale of it is invoiced on its own). Answered at once as REQUESTED; the authority's answer
   * comes later, and an accepted cancellation frees the invoice's sales to be invoiced again.
   * Refused for an invoice not stamped, already cancelled, or with a request still unanswered.
   */
  'invoices.cancel': call(
    'invoices.manage',
    z.object({ invoiceId: z.uuid(), motive: z.enum(['02', '03', '04']), reason, idempotencyKey }).strict(),
    { output: invoiceCancellation },
  ),
  /**
   * A credit note for a return of an invoiced sale that none accounts for: the one written with the
   * return was refused by the SAT on its own (its invoice still standing), say, and the reason has
   * been put right. Written at once as PENDING in the register's credit-note series, related to
   * what covers the sale now (its invoice, or the factura global it is in), and stamped as any.
   * The same key answers the same credit note. Refused with the reason for a return that a live
   * credit note or a factura global already accounts for, or whose sale nothing covers (the factura
   * global of its period will net it).
   */
  'invoices.creditReturn': call('invoices.manage', z.object({ returnId: z.uuid(), idempotencyKey }).strict(), {
    output: invoiceState,
  }),
  /**
   * Motive 01: a stamped invoice to a customer replaced by a corrected one (the customer's fiscal
   * data, say). The substitute is written at once as PENDING for the same sale, related to the
   * one it replaces (TipoRelacion 04), and takes its place as what covers the sale; the
   * cancellation of the replaced one is asked for with it and sent, with the substitute's UUID as
   * FolioSustitucion, once the substitute is stamped. Should the SAT refuse the substitute, the
   * replaced invoice covers the sale again and the cancellation is answered as refused.
   * Refused for an invoice not stamped, a factura global, one this register did not issue, one
   * with a cancellation waiting or with standing credit notes (the SAT cancels no CFDI a standing
   * one relates to: they are cancelled first, and the substitute then carries a new credit note
   * for each of their returns).
   */
  'invoices.substitute': call(
    'invoices.manage',
    z.object({ invoiceId: z.uuid(), receiver: fiscalReceiver, reason, idempotencyKey }).strict(),
    { output: z.object({ invoice: invoiceState, cancellation: invoiceCancellation }).strict() },
  ),
  /**
   * The printed representation of a stamped invoice (the CFDI's XML, its stamp and the SAT's
   * verification QR) queued on this register's printer, as receipts are. Refused with the reason
   * for an invoice not stamped yet, rejected or cancelled. Without a key each call prints once
   * more; the same key answers the printout it queued and prints nothing again.
   */
  'invoices.print': call('sales.reprint', z.object({ invoiceId: z.uuid(), idempotencyKey: idempotencyKey.optional() }).strict(), {
    output: z
      .object({
        receiptId: z.uuid(),
        /** 0 the first time this invoice is printed, then 1, 2… */
        copyNumber: z.number().int().min(0),
        /** False when the register has no printer: the printout is kept unsent, and the screen shows it. */
        printed: z.boolean(),
        document: receiptDocument,
      })
      .strict(),
  }),
  /**
   * The printed representation of a stamped invoice as a PDF on letter paper (Mexico's, the
   * default) or A4, to send to the customer or print on an office printer: what invoices.print
   * prints, its conceptos as a table, every page numbered. A cancelled invoice's says CANCELADO
   * across every page. Refused with the reason for an invoice not stamped yet or rejected.
   */
  'invoices.pdf': call('sales.reprint', z.object({ invoiceId: z.uuid(), paper: z.enum(['A4', 'LETTER']).default('LETTER') }).strict(), {
    output: z
      .object({
        /** SERIES-FOLIO.pdf */
        filename: z.string(),
        /** The PDF's bytes. */
        base64: z.base64(),
      })
      .strict(),
  }),
  /**
   * The stamped CFDI itself, as the PAC sent it back (what the SAT holds), for the customer or
   * their accountant. Refused with the reason for an invoice not stamped yet, rejected, or
   * cancelled: a cancelled CFDI's XML cannot say so, and could pass for a valid one.
   */
  'invoices.xml': call('sales.reprint', z.object({ invoiceId: z.uuid() }).strict(), {
    output: z
      .object({
        /** SERIES-FOLIO.xml */
        filename: z.string(),
        /** The stamped XML, character for character. */
        xml: z.string(),
      })
      .strict(),
  }),
};
