// One notification job, start to end: take the row's lease, compose the message from its template
// and data, hand it to the channel, record the answer with the row. What can never succeed (a
// template that does not render, an address the provider refuses, a 4xx) fails at once with its
// reason; what may succeed later goes back to PENDING and BullMQ tries again with backoff until
// the queue's attempts run out, and then the row is FAILED with the last reason (the dead letter).
import { type Job, UnrecoverableError } from 'bullmq';
import type { AppDb } from '#db/app-db.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { claimJob, type JobRow, type NotifyChannel, recordFailed, recordSent, releaseForRetry } from './job-rows.ts';
import { type Channel, type EmailAttachment, type Outgoing, SendFailure, type SendReceipt } from './outgoing.ts';
import { JobDataError, receiptModel } from './receipt-model.ts';
import { PHONE_LINK_TEMPLATE, type PhoneLinkSettings, phoneLinkEmailData } from '../phone/phone-link-email.ts';
import { invoiceEmail, SELF_INVOICE_TEMPLATE } from '../self-invoice/invoice-email.ts';
import { receiptEmailData } from './templates/receipt-email-data.ts';
import { renderEmail, renderText, TemplateError } from './templates/render.ts';
import type { TemplateRow } from './templates/template-row.ts';
import { templateById } from './templates/template-store.ts';

export type SendDeps = {
  sql: SqlDatabase;
  db: AppDb;
  channels: Partial<Record<NotifyChannel, Channel>>;
  leaseMs: number;
  redispatchMs: number;
  logTtlDays: number;
  /** The domain of the Message-IDs this service makes (the sender's). */
  mailDomain: string;
  /** What phone links are made with; null on a service without Web Push. */
  phoneLinks: PhoneLinkSettings | null;
  now(): Date;
};

export type SendResult = { sent: string | null; resumed: boolean } | { skipped: string };

// Texts have no idempotency at the provider: after an attempt that died mid-send, a second SMS
// could reach the customer twice. A person decides (`pos central jobs --retry`).
const NOT_RESENT: NotifyChannel[] = ['SMS', 'WHATSAPP'];

export function notificationProcessor(deps: SendDeps) {
  return async (job: Job<{ id: string }>): Promise<SendResult> => {
    const claim = await claimJob(deps.sql, job.data.id, deps.leaseMs);
    if (claim.kind === 'missing') return { skipped: 'no such notification' };
    if (claim.kind === 'done') return { skipped: claim.status };
    // Thrown, not skipped: if the holder dies, this job's retry is what sends it.
    if (claim.kind === 'busy') throw new Error('another worker holds this notification');
    const { row, resumed } = claim;
    const channel = deps.channels[row.channel];
    const fail = async (reason: string, provider: string | null, response: Record<string, unknown> = {}) => {
      await recordFailed(deps.sql, row, reason, provider, response, deps.logTtlDays);
      return new UnrecoverableError(reason);
    };
    if (!channel) throw await fail(`no ${row.channel} provider is configured on this service`, null);
    if (resumed && NOT_RESENT.includes(row.channel)) {
      throw await fail(
        'an earlier attempt stopped while sending; not sent again so that nobody gets it twice (retry it by hand if it did not arrive)',
        channel.provider,
      );
    }
    let message: Outgoing;
    try {
      message = await compose(deps, row);
    } catch (err) {
      if (err instanceof TemplateError || err instanceof JobDataError) throw await fail(err.message, null);
      if (err instanceof SendFailure && err.kind === 'permanent') throw await fail(err.message, err.provider, err.response);
      await releaseForRetry(deps.sql, row, (err as Error).message, deps.redispatchMs);
      throw err;
    }
    let receipt: SendReceipt;
    try {
      receipt = await channel.send(message);
    } catch (err) {
      const failure = err instanceof SendFailure ? err : new SendFailure('transient', (err as Error).message, channel.provider);
      const attempts = job.opts.attempts ?? 1;
      if (failure.kind === 'permanent') throw await fail(failure.message, failure.provider, failure.response);
      if (job.attemptsMade + 1 >= attempts) {
        throw await fail(`gave up after ${attempts} attempts: ${failure.message}`, failure.provider, failure.response);
      }
      await releaseForRetry(deps.sql, row, failure.message, deps.redispatchMs);
      throw failure;
    }
    await recordSent(deps.sql, row, receipt, deps.logTtlDays);
    return { sent: receipt.providerId, resumed };
  };
}

/**
 * The data a template is filled with: a receipt is built from the sale, a phone link made now,
 * an invoice's e-mail read from the stamped invoice with its PDF and XML; anything else carries its own.
 */
async function templateData(
  deps: SendDeps,
  template: TemplateRow,
  row: JobRow,
): Promise<{ data: object; attachments?: EmailAttachment[] }> {
  if (template.code === 'sale.receipt') {
    const saleId = row.payload.saleId;
    if (typeof saleId !== 'string') throw new JobDataError('a receipt e-mail without a sale');
    const model = await receiptModel(deps, saleId);
    return { data: receiptEmailData(model.receipt, { locale: template.locale, currency: model.currency, timezone: model.timezone }) };
  }
  if (template.code === PHONE_LINK_TEMPLATE) return { data: await phoneLinkEmailData(deps.sql, deps.phoneLinks, row, deps.now()) };
  if (template.code === SELF_INVOICE_TEMPLATE) return invoiceEmail(deps.sql, row.payload, template.locale);
  const data = row.payload.data;
  if (typeof data !== 'object' || data === null) throw new JobDataError(`a ${template.code} notification without its data`);
  return { data };
}

async function compose(deps: SendDeps, row: JobRow): Promise<Outgoing> {
  const template = await templateById(deps.sql, row.template_id);
  if (!template) throw new JobDataError(`template ${row.template_id} is not there`);
  const { data, attachments } = await templateData(deps, template, row);
  switch (row.channel) {
    case 'EMAIL': {
      const rendered = await renderEmail(template, data);
      return {
        channel: 'EMAIL',
        to: row.recipient,
        ...rendered,
        messageId: `<${row.id}@${deps.mailDomain}>`,
        idempotencyKey: row.idempotency_key,
        ...(attachments ? { attachments } : {}),
      };
    }
    case 'SMS':
    case 'WHATSAPP':
      return { channel: row.channel, to: row.recipient, body: renderText(template, data), idempotencyKey: row.idempotency_key };
    case 'PUSH': {
      const [sub] = await deps.sql.query<{ endpoint: string; keys: { p256dh: string; auth: string } }>(
        `SELECT endpoint, keys FROM communication.push_subscriptions WHERE id = $1 AND revoked_at IS NULL AND deleted_at IS NULL`,
        [row.recipient],
      );
      if (!sub) throw new JobDataError('the push subscription was revoked or is not there');
      return {
        channel: 'PUSH',
        subscription: sub,
        payload: renderText(template, data),
        ttlSeconds: 24 * 3600,
        idempotencyKey: row.idempotency_key,
      };
    }
    default:
      throw new JobDataError(`a ${row.channel} notification is not sent through a queue`);
  }
}
