// What a channel adapter is given and what it answers: the one seam between the notification
// jobs (rows, retries, exactly-once) and the providers (SMTP, SendGrid, Twilio, Web Push).
// An adapter sends one message or throws a SendFailure that says whether trying again can help;
// it never touches the database or the queue.

/** An e-mail, already rendered. messageId is derived from the job's idempotency key, so a resend after a crash is the same message to the receiving side. */
export type OutgoingEmail = {
  channel: 'EMAIL';
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  idempotencyKey: string;
  /** Files made when the message is composed (an invoice's PDF and XML), never kept in the job's row. */
  attachments?: EmailAttachment[];
};

/** One attached file: its name as the reader saves it, its MIME type and its bytes. */
export type EmailAttachment = { filename: string; contentType: string; content: Buffer };

/** An SMS or WhatsApp text; `to` in E.164 (+525512345678). */
export type OutgoingText = {
  channel: 'SMS' | 'WHATSAPP';
  to: string;
  body: string;
  idempotencyKey: string;
};

/** A Web Push message to one browser subscription (a manager's phone). */
export type OutgoingPush = {
  channel: 'PUSH';
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** JSON text the service worker shows: { title, body, url? }. */
  payload: string;
  ttlSeconds: number;
  idempotencyKey: string;
};

export type Outgoing = OutgoingEmail | OutgoingText | OutgoingPush;

/** What the provider answered, kept in notification_logs.provider_response (never a secret). */
export type SendReceipt = { provider: string; providerId: string | null; response: Record<string, unknown> };

/**
 * permanent: the same request can never succeed (a refused address, a 4xx other than 429, a
 * subscription that is gone): the job fails with this reason and is not retried.
 * transient: a timeout, a 5xx, a 429, a connection refused: tried again later with backoff.
 */
export class SendFailure extends Error {
  override name = 'SendFailure';
  constructor(
    readonly kind: 'permanent' | 'transient',
    message: string,
    readonly provider: string,
    readonly response: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Channel<M extends Outgoing = Outgoing> {
  readonly provider: string;
  send(message: M): Promise<SendReceipt>;
  close(): Promise<void>;
}
