// A real SMTP server (smtp-server) on 127.0.0.1 that keeps every message it accepts, parsed by
// mailparser as a mail client would read it. It misbehaves the ways mail servers do: refuses
// recipients (550 user unknown), defers messages (451), sits on its answer to DATA, or takes a
// message and drops the connection before saying so (the "sent, but the answer was lost" case:
// the message is kept, the client never hears it was).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export type MailboxDelivery = {
  /** The Message-ID header, with its angle brackets. */
  messageId: string;
  /** The envelope's recipients (RCPT TO), as the server accepted them. */
  to: string[];
  /** The From header's first address. */
  from: { name: string; address: string };
  subject: string;
  html: string | null;
  text: string | null;
  queueId: string;
  /** Who logged in for it, or null. */
  user: string | null;
  /** The attached files, as a mail client saves them. */
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

export type SmtpMailbox = {
  port: number;
  /** smtp://127.0.0.1:port, with user:pass when given. */
  url(credentials?: { user: string; pass: string }): string;
  /** Every accepted DATA, in order (a message whose answer was lost included). */
  deliveries: MailboxDelivery[];
  byMessageId(messageId: string): MailboxDelivery[];
  /** RCPT TO for these addresses is answered with code (550 user unknown unless told). */
  /** From now on these recipients are refused with `code` (550 by default). */
  rejectRecipients(addresses: string[], code?: number): void;
  /** These recipients are taken again. */
  acceptRecipients(addresses: string[]): void;
  /** The next n messages are answered 451 after their DATA. */
  deferNext(n: number): void;
  /** The next message's answer to DATA waits ms; it is kept only if the answer still reaches the client. */
  holdNextDataAnswer(ms: number): void;
  /** The next message is kept, then the connection is dropped before the answer to DATA. */
  dropNextAfterData(): void;
  close(): Promise<void>;
};

type Fault = { kind: 'defer' } | { kind: 'hold'; ms: number } | { kind: 'drop' };

export async function startSmtpMailbox(opts: { credentials?: { user: string; pass: string } } = {}): Promise<SmtpMailbox> {
  const deliveries: MailboxDelivery[] = [];
  const rejected = new Map<string, number>();
  const faults: Fault[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const connectionOf = (session: SMTPServerSession) => [...server.connections].find((c) => c.id === session.id);

  const keep = async (raw: Buffer, session: SMTPServerSession): Promise<MailboxDelivery> => {
    const parsed = await simpleParser(raw);
    return {
      messageId: parsed.messageId ?? '',
      to: session.envelope.rcptTo.map((r) => r.address),
      from: { name: parsed.from?.value[0]?.name ?? '', address: parsed.from?.value[0]?.address ?? '' },
      subject: parsed.subject ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : null,
      text: parsed.text ?? null,
      queueId: randomBytes(5).toString('hex').toUpperCase(),
      user: typeof session.user === 'string' ? session.user : null,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
    };
  };

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', async () => {
      const fault = faults.shift();
      if (fault?.kind === 'defer') {
        return callback(Object.assign(new Error('4.3.0 Mail server temporarily rejected message, try again later'), { responseCode: 451 }));
      }
      let delivery: MailboxDelivery;
      try {
        delivery = await keep(Buffer.concat(chunks), session);
      } catch (err) {
        return callback(Object.assign(new Error(`5.6.0 Message could not be parsed: ${(err as Error).message}`), { responseCode: 554 }));
      }
      const accepted = `2.0.0 Ok: queued as ${delivery.queueId}`;
      if (fault?.kind === 'drop') {
        deliveries.push(delivery);
        connectionOf(session)?._socket.destroy();
        return;
      }
      if (fault?.kind === 'hold') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!connectionOf(session)) return; // the client gave up: the answer reaches nobody and the message is not kept
          deliveries.push(delivery);
          callback(null, accepted);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      deliveries.push(delivery);
      callback(null, accepted);
    });
  };

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      const creds = opts.credentials;
      if (!creds || auth.username !== creds.user || auth.password !== creds.pass) {
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const code = rejected.get(address.address.toLowerCase());
      if (code)
        return callback(
          Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: code }),
        );
      callback();
    },
    onData,
  });
  // A client killed mid-session (a worker SIGKILLed in a test) resets its connection; smtp-server
  // reports that as the server's 'error', which unheard would crash the test process. A real
  // mail server logs it and goes on; so does this one (what was delivered is in `deliveries`).
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: (c) => (c ? `smtp://${encodeURIComponent(c.user)}:${encodeURIComponent(c.pass)}@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`),
    deliveries,
    byMessageId: (id) => deliveries.filter((d) => d.messageId === id),
    rejectRecipients(addresses, code = 550) {
      for (const a of addresses) rejected.set(a.toLowerCase(), code);
    },
    acceptRecipients(addresses) {
      for (const a of addresses) rejected.delete(a.toLowerCase());
    },
    deferNext(n) {
      for (let i = 0; i < n; i++) faults.push({ kind: 'defer' });
    },
    holdNextDataAnswer(ms) {
      faults.push({ kind: 'hold', ms });
    },
    dropNextAfterData() {
      faults.push({ kind: 'drop' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const c of server.connections) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}
