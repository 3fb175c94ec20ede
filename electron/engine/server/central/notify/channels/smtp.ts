// E-mail through any SMTP relay (the store's own server, or a provider's SMTP endpoint), by
// nodemailer's pooled transport.
//   Transport and its errors: https://nodemailer.com/smtp/ and https://nodemailer.com/smtp/pooled/
//   Reply codes (4yz transient, 5yz permanent): RFC 5321 §4.2.1, https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1
// SMTP has no idempotency key. The Message-ID header is the job's own (derived from its key), so
// a message resent after a lost answer is the same message to the receiving side.
import { createTransport } from 'nodemailer';
import { type Channel, type OutgoingEmail, SendFailure, type SendReceipt } from '../outgoing.ts';
import { checkEmail } from './addresses.ts';

const PROVIDER = 'smtp';

export type SmtpOptions = {
  /** smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps:// (TLS from the start). */
  url: string;
  /** The sender, "Tienda <avisos@tienda.mx>" or a bare address. */
  from: string;
  /** For connecting, for the greeting and for each message's whole exchange. */
  timeoutMs?: number;
};

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string; rejected?: string[] };

export function smtpChannel(opts: SmtpOptions): Channel<OutgoingEmail> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    // Not echoed: the URL holds the password.
    throw new Error('smtp: the URL is not smtp://user:pass@host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`smtp: the URL's scheme is ${url.protocol}, not smtp: or smtps:`);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const transport = createTransport({
    pool: true,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : undefined,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A connection that drops mid-message fails the attempt instead of being resent inside the
    // pool: the server may have taken it, and the job, not the pool, decides and records a retry.
    maxRequeues: 0,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
  });
  // Each message's failure reaches its own sendMail; a pool-level error must not end the worker.
  transport.on('error', () => {});

  return {
    provider: PROVIDER,
    async send(message) {
      const to = checkEmail(message.to, PROVIDER);
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          attachments: message.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
          // Covers waiting in the pool's queue and an answer a server trickles, which no socket timeout sees.
          signal: AbortSignal.timeout(timeoutMs),
        });
        const queued = /queued as ([\w.-]+)/i.exec(info.response)?.[1] ?? null;
        const response = {
          response: info.response,
          accepted: info.accepted.map(String),
          rejected: info.rejected.map(String),
          messageId: info.messageId,
        };
        return { provider: PROVIDER, providerId: queued, response } satisfies SendReceipt;
      } catch (err) {
        throw classify(err as SmtpError, timeoutMs);
      }
    },
    async close() {
      transport.close();
    },
  };
}

function classify(err: SmtpError, timeoutMs: number): SendFailure {
  const response = {
    code: err.code ?? null,
    responseCode: err.responseCode ?? null,
    command: err.command ?? null,
    response: err.response ?? null,
    rejected: err.rejected ?? [],
  };
  if (err.code === 'EABORT') {
    return new SendFailure('transient', `SMTP server did not answer within ${timeoutMs} ms`, PROVIDER, { ...response, code: 'TIMEOUT' });
  }
  if (typeof err.responseCode === 'number') {
    // 503 is "bad sequence of commands": the session's state, not the message; a new connection can take it.
    const permanent = err.responseCode >= 500 && err.responseCode !== 503;
    const said = err.response ?? String(err.responseCode);
    return new SendFailure(
      permanent ? 'permanent' : 'transient',
      `SMTP ${err.command ?? ''} refused: ${said}`.replace('  ', ' '),
      PROVIDER,
      response,
    );
  }
  // No reply to go by: a refused or reset connection, a timeout, DNS, TLS. The next attempt may get through.
  return new SendFailure('transient', `SMTP server could not be reached or dropped the connection: ${err.message}`, PROVIDER, response);
}
