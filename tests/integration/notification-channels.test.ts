// The notification channels against loopback providers that check requests as the real ones do:
// each adapter's message arrives as the provider would see it, each refusal comes back as a
// SendFailure that says whether trying again can help (with the provider's own reason), and an
// address that cannot work is refused before any network call.
import { Agent } from 'node:https';
import { createServer } from 'node:net';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEmail, checkPhone } from '../../electron/engine/server/central/notify/channels/addresses.ts';
import { sendgridChannel } from '../../electron/engine/server/central/notify/channels/sendgrid.ts';
import { smtpChannel } from '../../electron/engine/server/central/notify/channels/smtp.ts';
import { twilioChannel } from '../../electron/engine/server/central/notify/channels/twilio.ts';
import { webPushChannel } from '../../electron/engine/server/central/notify/channels/web-push.ts';
import {
  type OutgoingEmail,
  type OutgoingPush,
  type OutgoingText,
  SendFailure,
} from '../../electron/engine/server/central/notify/outgoing.ts';
import { type LoopbackPush, startLoopbackPush } from '../support/loopback-push.ts';
import { type LoopbackSendgrid, sendgridError, startLoopbackSendgrid } from '../support/loopback-sendgrid.ts';
import { type LoopbackTwilio, startLoopbackTwilio, twilioError } from '../support/loopback-twilio.ts';
import { type SmtpMailbox, startSmtpMailbox } from '../support/smtp-mailbox.ts';

// Short enough that the hanging cases keep the file quick, long enough for a loaded machine: at
// 400 ms, the first SMTP send of the file (connection, EHLO, AUTH, then the message) timed out
// in a full test run while other work shared the machine's two cores.
const TIMEOUT_MS = 1_500;

/** The SendFailure a send ended with; a send that succeeded fails the test. */
async function failure(sending: Promise<unknown>): Promise<SendFailure> {
  const err = await sending.then(
    () => {
      throw new Error('expected a SendFailure, the send succeeded');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendFailure);
  return err as SendFailure;
}

/** A port nothing listens on: a channel pointed there fails as transient if it tries the network at all. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let serial = 0;
const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => {
  serial++;
  return {
    channel: 'EMAIL',
    to: 'cliente@ejemplo.mx',
    subject: `Tu ticket T-${serial}`,
    html: `<p>Gracias por tu compra, ticket <b>T-${serial}</b></p>`,
    text: `Gracias por tu compra, ticket T-${serial}`,
    messageId: `receipt-${serial}.job-key@central.tienda.mx`,
    idempotencyKey: `email:receipt:${serial}`,
    ...over,
  };
};

/** A PDF's first bytes and an XML with an accent: both must arrive byte for byte. */
const ATTACHED = [
  { filename: 'A-WEB-1.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1') },
  { filename: 'A-WEB-1.xml', contentType: 'application/xml', content: Buffer.from('<?xml version="1.0"?><c Nombre="PEÑA"/>', 'utf8') },
];

describe('addresses', () => {
  it('reads an e-mail address as the channel sends to it, in lowercase', () => {
    expect(checkEmail('  Cliente.Uno@Ejemplo.MX ')).toBe('cliente.uno@ejemplo.mx');
  });

  it('refuses what is not an e-mail address as permanent, saying so in Spanish', () => {
    for (const text of ['cliente', 'cliente@', '@ejemplo.mx', 'dos@correos@ejemplo.mx', '']) {
      const err = (() => {
        try {
          checkEmail(text);
        } catch (e) {
          return e as SendFailure;
        }
        throw new Error(`${text} was accepted`);
      })();
      expect(err).toBeInstanceOf(SendFailure);
      expect(err.kind).toBe('permanent');
      expect(err.message).toBe(`El correo «${text}» no es una dirección válida`);
    }
  });

  it('reads a mobile number typed the way people type it in each country as E.164', () => {
    expect(checkPhone('55 1234 5678', 'MX')).toBe('+525512345678');
    expect(checkPhone('+52 (55) 1234-5678', 'MX')).toBe('+525512345678');
    // The "1" Mexican mobiles carried before 2019 is still in contact lists.
    expect(checkPhone('+52 1 55 1234 5678', 'MX')).toBe('+525512345678');
    expect(checkPhone('300 123 4567', 'CO')).toBe('+573001234567');
    expect(checkPhone('011 15 2345-6789', 'AR')).toBe('+5491123456789');
    expect(checkPhone('+54 9 11 2345 6789', 'AR')).toBe('+5491123456789');
    // A number with its + is read as written, whatever the store's country.
    expect(checkPhone('+57 300 123 4567', 'MX')).toBe('+573001234567');
  });

  it('refuses a number that cannot take an SMS or a WhatsApp message as permanent, in Spanish', () => {
    const refusal = (text: string, country: 'MX' | 'CO' | 'AR') => {
      try {
        checkPhone(text, country);
      } catch (e) {
        expect(e).toBeInstanceOf(SendFailure);
        expect((e as SendFailure).kind).toBe('permanent');
        return (e as SendFailure).message;
      }
      throw new Error(`${text} was accepted`);
    };
    expect(refusal('1234', 'MX')).toBe('El número «1234» no es un teléfono válido');
    expect(refusal('hola', 'CO')).toBe('El número «hola» no es un teléfono válido');
    expect(refusal('601 234 5678', 'CO')).toBe('El número «601 234 5678» no es de un celular; para SMS o WhatsApp se necesita un celular');
    expect(refusal('11 2345-6789', 'AR')).toBe('El número «11 2345-6789» no es de un celular; para SMS o WhatsApp se necesita un celular');
    expect(refusal('800 123 4567', 'MX')).toMatch(/no es de un celular/);
  });
});

describe('SMTP', () => {
  let mailbox: SmtpMailbox;
  let channel: ReturnType<typeof smtpChannel>;
  const credentials = { user: 'avisos@tienda.mx', pass: 'secreto-de-smtp-9f2' };

  beforeAll(async () => {
    mailbox = await startSmtpMailbox({ credentials });
    channel = smtpChannel({ url: mailbox.url(credentials), from: 'Tienda Centro <avisos@tienda.mx>', timeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await channel?.close();
    await mailbox?.close();
  });

  it('delivers the message as a mail client reads it, with the job’s Message-ID, and keeps the server’s answer', async () => {
    const message = email({ to: 'Cliente@Ejemplo.MX' });
    const receipt = await channel.send(message);

    const [delivered, ...others] = mailbox.byMessageId(`<${message.messageId}>`);
    expect(others).toEqual([]);
    expect(delivered).toMatchObject({
      to: ['cliente@ejemplo.mx'],
      from: { name: 'Tienda Centro', address: 'avisos@tienda.mx' },
      subject: message.subject,
      text: message.text,
      user: credentials.user,
    });
    expect(delivered!.html).toContain('<b>T-');
    expect(receipt.provider).toBe('smtp');
    expect(receipt.providerId).toBe(delivered!.queueId);
    expect(receipt.response).toMatchObject({ accepted: ['cliente@ejemplo.mx'], rejected: [] });
    expect(receipt.response.response).toMatch(new RegExp(`^250 .*queued as ${delivered!.queueId}$`));
    expect(JSON.stringify(receipt)).not.toContain(credentials.pass);
  });

  it('attaches the files the message carries, byte for byte, each under its name and type', async () => {
    const message = email({ attachments: ATTACHED });
    await channel.send(message);
    const [delivered] = mailbox.byMessageId(`<${message.messageId}>`);
    expect(delivered!.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')])).toEqual(
      ATTACHED.map((a) => [a.filename, a.contentType, a.content.toString('base64')]),
    );
    expect(delivered!.text).toBe(message.text);
  });

  it('fails a recipient the server does not know (550, 553) as permanent, with the server’s reason', async () => {
    mailbox.rejectRecipients(['nadie@ejemplo.mx']);
    mailbox.rejectRecipients(['buzon@ejemplo.mx'], 553);
    for (const [to, code] of [
      ['nadie@ejemplo.mx', 550],
      ['buzon@ejemplo.mx', 553],
    ] as const) {
      const before = mailbox.deliveries.length;
      const err = await failure(channel.send(email({ to })));
      expect(err.kind).toBe('permanent');
      expect(err.provider).toBe('smtp');
      expect(err.message).toContain('User unknown');
      expect(err.response).toMatchObject({ responseCode: code, command: 'RCPT TO' });
      expect(mailbox.deliveries.length).toBe(before);
    }
  });

  it('fails a message the server defers (451) as transient, and the next attempt is delivered', async () => {
    mailbox.deferNext(1);
    const message = email();
    const err = await failure(channel.send(message));
    expect(err.kind).toBe('transient');
    expect(err.response).toMatchObject({ responseCode: 451 });
    expect(err.message).toContain('try again later');
    expect(mailbox.byMessageId(`<${message.messageId}>`)).toEqual([]);

    await channel.send(message);
    expect(mailbox.byMessageId(`<${message.messageId}>`)).toHaveLength(1);
  });

  it('fails as transient when the server sits on its answer to DATA past the timeout', async () => {
    mailbox.holdNextDataAnswer(TIMEOUT_MS * 5);
    const message = email();
    const err = await failure(channel.send(message));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/did not answer within|timed out|timeout/i);
    // The channel keeps working once the slow answer is given up on.
    const next = email();
    await channel.send(next);
    expect(mailbox.byMessageId(`<${next.messageId}>`)).toHaveLength(1);
  });

  it('fails as transient when the answer to a message the server took is lost, and the resend carries the same Message-ID', async () => {
    mailbox.dropNextAfterData();
    const message = email();
    const err = await failure(channel.send(message));
    expect(err.kind).toBe('transient');

    await channel.send(message);
    const copies = mailbox.byMessageId(`<${message.messageId}>`);
    // The server has it twice, as one message: the receiving side can tell the copy by its Message-ID.
    expect(copies).toHaveLength(2);
    expect(copies[0]!.subject).toBe(copies[1]!.subject);
  });

  it('fails as transient when the server refuses the connection', async () => {
    const offline = smtpChannel({ url: `smtp://127.0.0.1:${await deadPort()}`, from: 'avisos@tienda.mx', timeoutMs: TIMEOUT_MS });
    try {
      const err = await failure(offline.send(email()));
      expect(err.kind).toBe('transient');
      expect(err.message).toContain('ECONNREFUSED');
    } finally {
      await offline.close();
    }
  });

  it('refuses a bad address before connecting to any server', async () => {
    const offline = smtpChannel({ url: `smtp://127.0.0.1:${await deadPort()}`, from: 'avisos@tienda.mx', timeoutMs: TIMEOUT_MS });
    try {
      const err = await failure(offline.send(email({ to: 'cliente-sin-arroba' })));
      expect(err.kind).toBe('permanent');
      expect(err.provider).toBe('smtp');
      expect(err.message).toBe('El correo «cliente-sin-arroba» no es una dirección válida');
    } finally {
      await offline.close();
    }
  });
});

describe('SendGrid', () => {
  const apiKey = 'SG.loopback-key.0123456789';
  let sendgrid: LoopbackSendgrid;
  let channel: ReturnType<typeof sendgridChannel>;

  beforeAll(async () => {
    sendgrid = await startLoopbackSendgrid({ apiKey });
    channel = sendgridChannel({
      apiKey,
      from: { email: 'avisos@tienda.mx', name: 'Tienda Centro' },
      baseUrl: sendgrid.baseUrl,
      timeoutMs: TIMEOUT_MS,
    });
  });
  afterAll(() => sendgrid?.close());

  it('sends the message as SendGrid reads it and keeps SendGrid’s message id', async () => {
    const message = email({ to: 'Cliente@Ejemplo.MX' });
    const receipt = await channel.send(message);
    const delivered = sendgrid.deliveries.at(-1)!;
    expect(delivered).toMatchObject({
      to: ['cliente@ejemplo.mx'],
      from: { email: 'avisos@tienda.mx', name: 'Tienda Centro' },
      subject: message.subject,
      text: message.text,
      html: message.html,
      contentTypes: ['text/plain', 'text/html'],
      headers: { 'Message-ID': `<${message.messageId}>` },
      customArgs: { idempotency_key: message.idempotencyKey },
    });
    expect(receipt).toEqual({
      provider: 'sendgrid',
      providerId: delivered.sendgridId,
      response: { status: 202, messageId: delivered.sendgridId },
    });
  });

  it('sends the attached files in SendGrid’s attachments array, base64 encoded, as attachments', async () => {
    await channel.send(email({ attachments: ATTACHED }));
    const delivered = sendgrid.deliveries.at(-1)!;
    expect(delivered.attachments).toEqual(
      ATTACHED.map((a) => ({ filename: a.filename, type: a.contentType, disposition: 'attachment', content: a.content })),
    );
    // A message without files arrives with none.
    await channel.send(email());
    expect(sendgrid.deliveries.at(-1)!.attachments).toEqual([]);
  });

  it('fails a request SendGrid refuses (400, 403, 413) as permanent, with SendGrid’s own message', async () => {
    const refusals = [
      sendgridError(400, 'Does not contain a valid address.', 'personalizations.0.to.0.email'),
      sendgridError(403, 'The from address does not match a verified Sender Identity.', 'from'),
      sendgridError(413, 'The JSON payload you have included in your request is too large.'),
    ];
    for (const answer of refusals) {
      sendgrid.script(answer);
      const err = await failure(channel.send(email()));
      expect(err.kind).toBe('permanent');
      const said = (answer.json as { errors: { message: string }[] }).errors[0]!.message;
      expect(err.message).toBe(`SendGrid ${answer.status}: ${said}`);
      expect(err.response).toMatchObject({ status: answer.status, errors: [{ message: said }] });
    }
  });

  it('fails with a wrong API key as permanent, in SendGrid’s words, without the key in the failure', async () => {
    const wrong = sendgridChannel({ apiKey: 'SG.revoked-key', from: 'avisos@tienda.mx', baseUrl: sendgrid.baseUrl, timeoutMs: TIMEOUT_MS });
    const err = await failure(wrong.send(email()));
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe('SendGrid 401: The provided authorization grant is invalid, expired, or revoked');
    expect(JSON.stringify(err.response)).not.toContain('SG.');
  });

  it('fails on 429 as transient and passes on how long SendGrid asked to wait', async () => {
    sendgrid.script(sendgridError(429, 'too many requests', null, { 'retry-after': '30' }));
    const err = await failure(channel.send(email()));
    expect(err.kind).toBe('transient');
    expect(err.response).toMatchObject({ status: 429, retryAfterSeconds: 30 });

    const reset = Math.floor(Date.now() / 1000) + 60;
    sendgrid.script(sendgridError(429, 'too many requests', null, { 'x-ratelimit-reset': String(reset) }));
    const limited = await failure(channel.send(email()));
    expect(limited.response.retryAfterSeconds).toBeGreaterThan(50);
  });

  it('fails on 500 and 503 as transient, and on no answer at all', async () => {
    for (const status of [500, 503]) {
      sendgrid.script(sendgridError(status, 'Internal server error'));
      expect((await failure(channel.send(email()))).kind).toBe('transient');
    }
    sendgrid.script('hang');
    const err = await failure(channel.send(email()));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`sendgrid did not answer within ${TIMEOUT_MS} ms`);
  });

  it('refuses a bad address before calling SendGrid', async () => {
    const offline = sendgridChannel({
      apiKey,
      from: 'avisos@tienda.mx',
      baseUrl: `http://127.0.0.1:${await deadPort()}`,
      timeoutMs: TIMEOUT_MS,
    });
    const err = await failure(offline.send(email({ to: 'cliente@' })));
    expect(err.kind).toBe('permanent');
    expect(err.provider).toBe('sendgrid');
    expect(err.message).toBe('El correo «cliente@» no es una dirección válida');
  });
});

describe('Twilio', () => {
  const accountSid = `AC${'a1'.repeat(16)}`;
  const authToken = 'loopback-auth-token-77';
  let twilio: LoopbackTwilio;
  let channel: ReturnType<typeof twilioChannel>;
  const text = (over: Partial<OutgoingText> = {}): OutgoingText => ({
    channel: 'SMS',
    to: '+525512345678',
    body: 'Tu pedido está listo para recoger en Tienda Centro.',
    idempotencyKey: `sms:${++serial}`,
    ...over,
  });

  beforeAll(async () => {
    twilio = await startLoopbackTwilio({ accountSid, authToken });
    channel = twilioChannel({
      accountSid,
      authToken,
      from: '+15005550006',
      whatsappFrom: '+14155238886',
      baseUrl: twilio.baseUrl,
      timeoutMs: TIMEOUT_MS,
    });
  });
  afterAll(() => twilio?.close());

  it('sends an SMS as Twilio reads it and keeps the message SID', async () => {
    const receipt = await channel.send(text());
    const sent = twilio.messages.at(-1)!;
    expect(sent).toMatchObject({
      channel: 'sms',
      to: '+525512345678',
      from: '+15005550006',
      body: 'Tu pedido está listo para recoger en Tienda Centro.',
    });
    expect(receipt).toEqual({
      provider: 'twilio',
      providerId: sent.sid,
      response: { status: 201, sid: sent.sid, messageStatus: 'queued', numSegments: '1' },
    });
  });

  it('sends a WhatsApp message with whatsapp: on both To and From', async () => {
    await channel.send(text({ channel: 'WHATSAPP', to: '+573001234567' }));
    expect(twilio.messages.at(-1)).toMatchObject({ channel: 'whatsapp', to: 'whatsapp:+573001234567', from: 'whatsapp:+14155238886' });
  });

  it('fails what Twilio refuses for good (21211, 21610, 63016) as permanent, with Twilio’s code and message', async () => {
    const refusals = [
      twilioError(400, 21211, "The 'To' number +525512345678 is not a valid phone number."),
      twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
      twilioError(400, 63016, 'Failed to send freeform message because you are outside the allowed window. Please use a Template.'),
    ];
    for (const answer of refusals) {
      twilio.script(answer);
      const err = await failure(channel.send(text()));
      const body = answer.json as { code: number; message: string; more_info: string };
      expect(err.kind).toBe('permanent');
      expect(err.message).toBe(`Twilio 400 (${body.code}): ${body.message}`);
      expect(err.response).toMatchObject({ status: 400, code: body.code, moreInfo: body.more_info });
    }
  });

  it('fails with a wrong auth token as permanent, without the token in the failure', async () => {
    const wrong = twilioChannel({
      accountSid,
      authToken: 'not-the-token',
      from: '+15005550006',
      baseUrl: twilio.baseUrl,
      timeoutMs: TIMEOUT_MS,
    });
    const err = await failure(wrong.send(text()));
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe('Twilio 401 (20003): Authenticate');
    expect(JSON.stringify(err)).not.toContain('not-the-token');
  });

  it('fails on 429, 500 and 503 as transient, and on no answer at all', async () => {
    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '5' }));
    const limited = await failure(channel.send(text()));
    expect(limited.kind).toBe('transient');
    expect(limited.response).toMatchObject({ status: 429, code: 20429, retryAfterSeconds: 5 });
    for (const status of [500, 503]) {
      twilio.script(twilioError(status, 20500, 'Internal Server Error'));
      expect((await failure(channel.send(text()))).kind).toBe('transient');
    }
    twilio.script('hang');
    const err = await failure(channel.send(text()));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`twilio did not answer within ${TIMEOUT_MS} ms`);
  });

  it('refuses numbers that cannot take a text before calling Twilio', async () => {
    const offline = twilioChannel({
      accountSid,
      authToken,
      from: '+15005550006',
      baseUrl: `http://127.0.0.1:${await deadPort()}`,
      timeoutMs: TIMEOUT_MS,
    });
    const refused = async (to: string) => {
      const err = await failure(offline.send(text({ to })));
      expect(err.kind).toBe('permanent');
      expect(err.provider).toBe('twilio');
      return err.message;
    };
    expect(await refused('5512345678')).toBe('El número «5512345678» no está en formato internacional (+52…)');
    expect(await refused('+52123')).toBe('El número «+52123» no es un teléfono válido');
    expect(await refused('+576012345678')).toMatch(/no es de un celular/);
  });
});

describe('Web Push', () => {
  let push: LoopbackPush;
  let channel: ReturnType<typeof webPushChannel>;
  let agent: Agent;
  const vapid = { subject: 'mailto:soporte@tienda.mx', ...webpush.generateVAPIDKeys() };
  const notice = (subscription: OutgoingPush['subscription'], over: Partial<OutgoingPush> = {}): OutgoingPush => ({
    channel: 'PUSH',
    subscription,
    payload: JSON.stringify({ title: 'Autorización pendiente', body: 'Caja 2 pide un descuento de $150.00', url: '/aprobaciones' }),
    ttlSeconds: 600,
    idempotencyKey: `push:${++serial}`,
    ...over,
  });

  beforeAll(async () => {
    push = await startLoopbackPush();
    agent = new Agent({ ca: push.certificate });
    channel = webPushChannel({ vapid, urgency: 'high', timeoutMs: TIMEOUT_MS, agent });
  });
  afterAll(async () => {
    agent?.destroy();
    await push?.close();
  });

  it('delivers an encrypted, VAPID-signed message the phone can decrypt', async () => {
    const subscription = push.subscribe({ applicationServerKey: vapid.publicKey });
    const message = notice(subscription);
    const receipt = await channel.send(message);
    const delivered = push.deliveries.at(-1)!;
    expect(delivered).toMatchObject({
      endpoint: subscription.endpoint,
      payload: message.payload,
      ttl: 600,
      urgency: 'high',
      vapid: { subject: 'mailto:soporte@tienda.mx', publicKey: vapid.publicKey, audience: push.origin },
    });
    expect(delivered.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(receipt.provider).toBe('web-push');
    expect(receipt.providerId).toMatch(new RegExp(`^${push.origin}/message/`));
    expect(receipt.response).toMatchObject({ status: 201 });
  });

  it('gives a resend of the same message the same topic, so an undelivered first copy is replaced', async () => {
    const subscription = push.subscribe();
    const message = notice(subscription);
    await channel.send(message);
    await channel.send(message);
    await channel.send(notice(subscription));
    const [first, again, other] = push.deliveries.slice(-3).map((d) => d.topic);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('fails a subscription that is gone (410) or unknown (404) as permanent, saying to revoke it', async () => {
    const subscription = push.subscribe();
    push.expire(subscription.endpoint);
    const gone = await failure(channel.send(notice(subscription)));
    expect(gone.kind).toBe('permanent');
    expect(gone.message).toMatch(/subscription is gone \(410\): revoke it/);
    expect(gone.response).toMatchObject({ status: 410, subscriptionGone: true });

    const unknown = await failure(channel.send(notice({ ...subscription, endpoint: `${push.origin}/push/never-subscribed` })));
    expect(unknown.kind).toBe('permanent');
    expect(unknown.response).toMatchObject({ status: 404, subscriptionGone: true });
  });

  it('fails a payload over the push service’s limit (413), a malformed request (400) and a foreign VAPID key (403) as permanent', async () => {
    const subscription = push.subscribe({ applicationServerKey: vapid.publicKey });
    const tooBig = await failure(channel.send(notice(subscription, { payload: 'x'.repeat(5000) })));
    expect(tooBig.kind).toBe('permanent');
    expect(tooBig.response).toMatchObject({ status: 413 });

    push.script({ status: 400, json: { error: 'malformed request' } });
    const malformed = await failure(channel.send(notice(subscription)));
    expect(malformed.kind).toBe('permanent');
    expect(malformed.message).toContain('malformed request');

    const other = webPushChannel({
      vapid: { subject: 'mailto:otro@ejemplo.mx', ...webpush.generateVAPIDKeys() },
      timeoutMs: TIMEOUT_MS,
      agent,
    });
    const foreign = await failure(other.send(notice(subscription)));
    expect(foreign.kind).toBe('permanent');
    expect(foreign.response).toMatchObject({ status: 403 });
  });

  it('fails on 429, 500 and 503 as transient, and on no answer at all', async () => {
    const subscription = push.subscribe();
    push.script({ status: 429, headers: { 'retry-after': '120' }, json: { error: 'slow down' } });
    const limited = await failure(channel.send(notice(subscription)));
    expect(limited.kind).toBe('transient');
    expect(limited.response).toMatchObject({ status: 429, retryAfterSeconds: 120 });
    for (const status of [500, 503]) {
      push.script({ status, json: { error: 'unavailable' } });
      expect((await failure(channel.send(notice(subscription)))).kind).toBe('transient');
    }
    push.script('hang');
    const err = await failure(channel.send(notice(subscription)));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe(`push service did not answer within ${TIMEOUT_MS} ms`);
  });

  it('refuses a subscription whose keys or endpoint cannot work before calling any push service', async () => {
    const subscription = push.subscribe();
    const before = push.requests;
    const badKeys = await failure(channel.send(notice({ ...subscription, keys: { p256dh: 'c2hvcnQ', auth: subscription.keys.auth } })));
    expect(badKeys.kind).toBe('permanent');
    expect(badKeys.message).toMatch(/keys cannot be used: .*65 bytes/);
    const plainHttp = await failure(channel.send(notice({ ...subscription, endpoint: subscription.endpoint.replace('https:', 'http:') })));
    expect(plainHttp.kind).toBe('permanent');
    expect(push.requests).toBe(before);
  });
});
