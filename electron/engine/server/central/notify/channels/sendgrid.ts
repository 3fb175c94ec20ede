// E-mail through SendGrid's v3 Mail Send.
//   Request and answer: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
//   Error bodies ({ errors: [{ message, field, help }] }): https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors
//   Attachments: the same page's `attachments` array, each { content (base64), type, filename, disposition }
//   Rate limits (429, X-RateLimit-Reset): https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits
// SendGrid has no idempotency key on Mail Send: a request that timed out after SendGrid took it
// is sent again by the job's retry. The job row keeps that to the rare timeout, and the
// Message-ID header (the same on every attempt) lets the receiving side see the copy for one.
import { type Channel, type OutgoingEmail, SendFailure, type SendReceipt } from '../outgoing.ts';
import { checkEmail } from './addresses.ts';
import { isTransientStatus, postWithDeadline, retryAfterSeconds } from './http.ts';

const PROVIDER = 'sendgrid';

export type SendgridOptions = {
  apiKey: string;
  /** The verified sender: an address, or an address with the name the customer sees. */
  from: string | { email: string; name?: string };
  /** https://api.sendgrid.com, or https://api.eu.sendgrid.com for EU subusers. */
  baseUrl?: string;
  timeoutMs?: number;
};

export function sendgridChannel(opts: SendgridOptions): Channel<OutgoingEmail> {
  if (!opts.apiKey) throw new Error('sendgrid: an API key is required');
  const from = typeof opts.from === 'string' ? { email: opts.from } : opts.from;
  const url = `${(opts.baseUrl ?? 'https://api.sendgrid.com').replace(/\/+$/, '')}/v3/mail/send`;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  return {
    provider: PROVIDER,
    async send(message) {
      const to = checkEmail(message.to, PROVIDER);
      const body = {
        personalizations: [{ to: [{ email: to }] }],
        from,
        subject: message.subject,
        // SendGrid requires text/plain before text/html when both are given.
        content: [
          { type: 'text/plain', value: message.text },
          { type: 'text/html', value: message.html },
        ],
        headers: { 'Message-ID': bracketed(message.messageId) },
        ...(message.attachments?.length
          ? {
              attachments: message.attachments.map((a) => ({
                content: a.content.toString('base64'),
                type: a.contentType,
                filename: a.filename,
                disposition: 'attachment',
              })),
            }
          : {}),
        // Comes back on every event webhook (delivered, bounce), tying it to the job.
        custom_args: { idempotency_key: message.idempotencyKey },
      };
      const answer = await postWithDeadline(
        PROVIDER,
        url,
        { headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        timeoutMs,
      );
      if (answer.status >= 200 && answer.status < 300) {
        const providerId = answer.headers.get('x-message-id');
        return { provider: PROVIDER, providerId, response: { status: answer.status, messageId: providerId } } satisfies SendReceipt;
      }
      const errors = readErrors(answer.json);
      const reason = errors.map((e) => e.message).join('; ') || answer.text.slice(0, 200) || `HTTP ${answer.status}`;
      const response = { status: answer.status, errors, retryAfterSeconds: retryAfterSeconds(answer.headers) };
      throw new SendFailure(
        isTransientStatus(answer.status) ? 'transient' : 'permanent',
        `SendGrid ${answer.status}: ${reason}`,
        PROVIDER,
        response,
      );
    },
    async close() {},
  };
}

type SendgridError = { message: string; field: string | null };

function readErrors(json: unknown): SendgridError[] {
  const list = (json as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is { message: string; field?: unknown } => typeof e?.message === 'string')
    .map((e) => ({ message: e.message, field: typeof e.field === 'string' ? e.field : null }));
}

const bracketed = (id: string) => (id.startsWith('<') ? id : `<${id}>`);
