// The e-mail that takes a self-invoiced CFDI to its customer, with the PDF and the XML attached.
// Its job is made only once the invoice is stamped, by a sweep after each fiscal pass (so a
// worker that died between the stamp and the job leaves it to the next pass), under the key
// invoice.self:<invoice id>: an unstamped invoice is never sent, and no invoice is sent twice.
// The files are made when the worker sends it, from the invoice's stamped XML: the job's row
// carries the invoice's id only, and its recipient, opened from the sealed address.
import type { SqlDatabase } from '#db/sql-session.ts';
import { dateTimeFormat, moneyFormat } from '#contract/receipt-document.ts';
import { cfdiPdf } from '#engine/fiscal/mx/cfdi-pdf.ts';
import { v7 as uuidv7 } from 'uuid';
import type { EmailAttachment } from '../notify/outgoing.ts';
import { JobDataError } from '../notify/receipt-model.ts';
import { customerEmailOf, type HeldEmail } from './customer-email.ts';
import { findTemplate } from '../notify/templates/template-store.ts';

export const SELF_INVOICE_TEMPLATE = 'invoice.self';

/** A self-invoice whose stamp is older than this without its e-mail is left alone (its template was missing for a month). */
const SWEEP_DAYS = 30;

type Unsent = HeldEmail & { invoice_id: string; locale: string };

export type EmailSweep = {
  /** Central's data directory, where each business's key opens its customers' addresses. */
  dataDir: string;
  /** Told of a self-invoice whose address does not open (its key missing or another): it waits for a later sweep. */
  unopened(selfInvoice: { id: string; businessId: string }, err: Error): void;
  limit?: number;
};

/**
 * Makes the e-mail job of each stamped self-invoice that has none yet; answers how many were
 * made. A missing template leaves the invoice for a later sweep (after `pos central migrate`),
 * and so does an address that does not open.
 */
export async function queueSelfInvoiceEmails(sql: SqlDatabase, sweep: EmailSweep): Promise<number> {
  const unsent = await sql.query<Unsent>(
    `SELECT r.id, r.business_id, r.invoice_id, r.email, r.email_sealed, r.locale FROM billing.self_invoices r
       JOIN billing.invoices i ON i.id = r.invoice_id
     WHERE r.email_job_id IS NULL AND r.deleted_at IS NULL AND i.status = 'ISSUED'
       AND r.created_at > now() - $2 * interval '1 day'
     ORDER BY r.created_at LIMIT $1`,
    [sweep.limit ?? 200, SWEEP_DAYS],
  );
  let made = 0;
  for (const r of unsent) {
    let recipient: string;
    try {
      recipient = customerEmailOf(sweep.dataDir, r);
    } catch (err) {
      sweep.unopened({ id: r.id, businessId: r.business_id }, err as Error);
      continue;
    }
    const template = await findTemplate(sql, {
      businessId: r.business_id,
      code: SELF_INVOICE_TEMPLATE,
      channel: 'EMAIL',
      locale: r.locale,
    });
    if (!template) continue;
    await sql.transaction(async (tx) => {
      const key = `${SELF_INVOICE_TEMPLATE}:${r.invoice_id}`;
      await tx.query(
        `INSERT INTO communication.notification_jobs (id, business_id, template_id, channel, recipient, payload, idempotency_key)
         VALUES ($1, $2, $3, 'EMAIL', $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
        [uuidv7(), r.business_id, template.id, recipient, JSON.stringify({ invoiceId: r.invoice_id, locale: r.locale }), key],
      );
      const updated = await tx.query(
        `UPDATE billing.self_invoices SET email_job_id = (SELECT id FROM communication.notification_jobs WHERE idempotency_key = $2)
         WHERE id = $1 AND email_job_id IS NULL RETURNING id`,
        [r.id, key],
      );
      made += updated.length;
    });
  }
  return made;
}

export type InvoiceEmailView = {
  store: string;
  invoice: { number: string; uuid: string; date: string; total: string };
  receiver: { name: string; rfc: string };
};

type InvoiceRow = {
  status: string;
  series: string;
  folio: string;
  fiscal_id: string | null;
  issued_at: Date | null;
  total: string;
  currency: string;
  receiver: { taxId: string; legalName: string };
  xml: string | null;
  store: string;
  timezone: string;
};

/** A file name any system keeps: the series' letters and digits, then the folio. */
export const invoiceFileName = (series: string, folio: string, ext: 'pdf' | 'xml') =>
  `${series.replace(/[^A-Za-z0-9_-]/g, '_')}-${folio}.${ext}`;

/** The template's data and the two files, from the stamped invoice the job names. */
export async function invoiceEmail(
  sql: SqlDatabase,
  payload: Record<string, unknown>,
  locale: string,
): Promise<{ data: InvoiceEmailView; attachments: EmailAttachment[] }> {
  const invoiceId = payload.invoiceId;
  if (typeof invoiceId !== 'string') throw new JobDataError('an invoice e-mail without its invoice');
  const [invoice] = await sql.query<InvoiceRow>(
    `SELECT i.status, i.series, i.folio::text AS folio, i.fiscal_id, i.issued_at, i.total::text AS total, i.currency, i.receiver,
            i.fiscal_data->>'xml' AS xml, u.name AS store, b.timezone
     FROM billing.invoices i JOIN business.businesses u ON u.id = i.business_id JOIN business.branches b ON b.id = i.branch_id
     WHERE i.id = $1`,
    [invoiceId],
  );
  if (!invoice) throw new JobDataError(`invoice ${invoiceId} is not at central`);
  // Never the case for a job the sweep made; said plainly if a person re-sends one by hand.
  if (invoice.status !== 'ISSUED' || !invoice.xml || !invoice.fiscal_id || !invoice.issued_at) {
    throw new JobDataError(`invoice ${invoice.series}-${invoice.folio} is ${invoice.status}, not stamped: it is not sent`);
  }
  const pdf = await cfdiPdf(invoice.xml, { paper: 'LETTER' });
  return {
    data: {
      store: invoice.store,
      invoice: {
        number: `${invoice.series}-${invoice.folio}`,
        uuid: invoice.fiscal_id,
        date: dateTimeFormat(locale, invoice.timezone)(new Date(invoice.issued_at).toISOString()),
        total: moneyFormat(locale, invoice.currency)(invoice.total),
      },
      receiver: { name: invoice.receiver.legalName, rfc: invoice.receiver.taxId },
    },
    attachments: [
      { filename: invoiceFileName(invoice.series, invoice.folio, 'pdf'), contentType: 'application/pdf', content: pdf },
      {
        filename: invoiceFileName(invoice.series, invoice.folio, 'xml'),
        contentType: 'application/xml',
        content: Buffer.from(invoice.xml, 'utf8'),
      },
    ],
  };
}
