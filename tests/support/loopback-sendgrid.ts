// SendGrid's v3 Mail Send on 127.0.0.1, as documented
// (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send): POST /v3/mail/send
// with a Bearer API key and a JSON body; 202 with an X-Message-Id header and no body; refusals
// as 400/401 with { errors: [{ message, field, help }] } in SendGrid's own words.
import { randomBytes } from 'node:crypto';
import { type Answer, type HttpLoopback, header, type Scripted, startHttpLoopback } from './loopback-http.ts';

export type SendgridDelivery = {
  /** What SendGrid answered in X-Message-Id. */
  sendgridId: string;
  to: string[];
  from: { email: string; name?: string };
  subject: string;
  text: string | null;
  html: string | null;
  /** The content blocks' types, in the order they came. */
  contentTypes: string[];
  headers: Record<string, string>;
  customArgs: Record<string, string>;
  /** The attachments, their content decoded from base64. */
  attachments: { filename: string; type: string; disposition: string; content: Buffer }[];
};

export type LoopbackSendgrid = {
  /** Give it to the adapter as baseUrl. */
  baseUrl: string;
  deliveries: SendgridDelivery[];
  readonly attempts: number;
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
};

/** SendGrid's error body. */
export const sendgridError = (status: number, message: string, field: string | null = null, headers?: Record<string, string>): Answer => ({
  status,
  headers,
  json: { errors: [{ message, field, help: null }] },
});

const isStringMap = (v: unknown): v is Record<string, string> =>
  v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));

export async function startLoopbackSendgrid(opts: { apiKey: string }): Promise<LoopbackSendgrid> {
  const deliveries: SendgridDelivery[] = [];
  const loop: HttpLoopback = await startHttpLoopback((req, raw) => {
    const refuse = (status: number, message: string, field: string | null = null) => ({ refuse: sendgridError(status, message, field) });
    if (req.method !== 'POST' || req.url !== '/v3/mail/send') return refuse(404, 'resource not found');
    if (header(req, 'authorization') !== `Bearer ${opts.apiKey}`) {
      return refuse(401, 'The provided authorization grant is invalid, expired, or revoked');
    }
    if (!header(req, 'content-type').startsWith('application/json')) return refuse(400, 'Content-Type should be application/json.');
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(400, 'Bad Request');
    }
    const personalizations = body?.personalizations;
    if (!Array.isArray(personalizations) || personalizations.length === 0 || personalizations.length > 1000) {
      return refuse(400, 'The personalizations field is required and must have at least one personalization.', 'personalizations');
    }
    for (const p of personalizations) {
      if (
        !Array.isArray(p?.to) ||
        p.to.length === 0 ||
        !p.to.every((r: any) => typeof r?.email === 'string' && /^[^@\s]+@[^@\s]+$/.test(r.email))
      ) {
        return refuse(
          400,
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          'personalizations.0.to',
        );
      }
    }
    if (typeof body.from?.email !== 'string') {
      return refuse(
        400,
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
        'from',
      );
    }
    if (typeof body.subject !== 'string' && !personalizations.every((p: any) => typeof p.subject === 'string')) {
      return refuse(
        400,
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
      );
    }
    const content = body.content;
    if (
      !Array.isArray(content) ||
      content.length === 0 ||
      !content.every((c: any) => typeof c?.type === 'string' && typeof c?.value === 'string' && c.value.length > 0)
    ) {
      return refuse(
        400,
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.',
        'content',
      );
    }
    const types = content.map((c: any) => c.type as string);
    if (types.includes('text/plain') && types[0] !== 'text/plain') {
      return refuse(400, 'If present, text/plain content must be first, followed by text/html, followed by any other content.', 'content');
    }
    if (!isStringMap(body.headers)) return refuse(400, 'Invalid type. Expected: string, given: object.', 'headers');
    if (!isStringMap(body.custom_args)) return refuse(400, 'Invalid type. Expected: string, given: object.', 'custom_args');
    const attachments = body.attachments ?? [];
    if (!Array.isArray(attachments)) return refuse(400, 'Invalid type. Expected: array, given: object.', 'attachments');
    for (const [i, a] of attachments.entries()) {
      if (typeof a?.content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(a.content)) {
        return refuse(400, 'The attachment content must be base64 encoded.', `attachments.${i}.content`);
      }
      if (typeof a?.filename !== 'string' || a.filename === '') {
        return refuse(400, 'The attachment filename parameter is required.', `attachments.${i}.filename`);
      }
    }
    return {
      accept: () => {
        const sendgridId = randomBytes(16).toString('base64url');
        deliveries.push({
          sendgridId,
          to: personalizations.flatMap((p: any) => p.to.map((r: any) => r.email as string)),
          from: body.from,
          subject: body.subject,
          text: content.find((c: any) => c.type === 'text/plain')?.value ?? null,
          html: content.find((c: any) => c.type === 'text/html')?.value ?? null,
          contentTypes: types,
          headers: body.headers ?? {},
          customArgs: body.custom_args ?? {},
          attachments: attachments.map((a: any) => ({
            filename: a.filename,
            type: a.type ?? 'application/octet-stream',
            disposition: a.disposition ?? 'attachment',
            content: Buffer.from(a.content, 'base64'),
          })),
        });
        return { status: 202, headers: { 'x-message-id': sendgridId } };
      },
    };
  });
  return {
    baseUrl: loop.origin,
    deliveries,
    get attempts() {
      return loop.attempts;
    },
    script: loop.script,
    close: loop.close,
  };
}
