// What cannot be sent fails once, with a reason a person can act on, and is never retried
// forever: a template that does not render, an address or phone that is not one, a provider's
// 4xx. `pos central jobs` shows why; --retry sends it again once the cause is fixed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { type RunningCentral, startCentralService } from '#engine/server/central/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { eventually } from '../support/central-service.ts';
import { type LoopbackTwilio, startLoopbackTwilio, twilioError } from '../support/loopback-twilio.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { runPos } from '../support/run-cli.ts';
import { startSmtpMailbox, type SmtpMailbox } from '../support/smtp-mailbox.ts';

const SID = `AC${'5'.repeat(32)}`;
const TOKEN = 'token-for-the-loopback';

describe('notifications that cannot be sent', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let mailbox: SmtpMailbox;
  let twilio: LoopbackTwilio;
  let pool: pg.Pool;
  let service: RunningCentral;
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-notify-failures-'));

  beforeAll(async () => {
    [database, redis, mailbox, twilio] = await Promise.all([
      createTestDatabase('notify_failures'),
      startPrivateRedis(),
      startSmtpMailbox(),
      startLoopbackTwilio({ accountSid: SID, authToken: TOKEN }),
    ]);
    const migrated = await runPos(['central', 'migrate', '--url', database.url]);
    expect(migrated.code, migrated.stderr).toBe(0);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    service = await startCentralService(
      readCentralConfig(
        { url: database.url, redis: redis.url, role: 'worker', 'data-dir': dataDir },
        {
          POS_CENTRAL_SMTP_URL: mailbox.url(),
          POS_CENTRAL_MAIL_FROM: 'Avisos <avisos@tienda.test>',
          POS_CENTRAL_TWILIO_SID: SID,
          POS_CENTRAL_TWILIO_TOKEN: TOKEN,
          POS_CENTRAL_TWILIO_URL: twilio.baseUrl,
          POS_CENTRAL_SMS_FROM: '+525500000000',
          POS_CENTRAL_SEND_TIMEOUT_MS: '1000',
        },
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await pool?.end();
    await Promise.all([mailbox?.close(), twilio?.close()]);
    await redis?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function template(code: string, channel: string, engine: string, body: string, subject: string | null = null) {
    const id = uuidv7();
    await pool.query(
      `INSERT INTO communication.notification_templates (id, code, channel, locale, engine, subject, body) VALUES ($1, $2, $3, 'es-MX', $4, $5, $6)`,
      [id, code, channel, engine, subject, body],
    );
    return id;
  }

  /** Queues one notification and answers its row once it is SENT or FAILED. */
  async function send(templateId: string, channel: string, recipient: string, data: object) {
    const id = uuidv7();
    await pool.query(
      `INSERT INTO communication.notification_jobs (id, template_id, channel, recipient, payload, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, templateId, channel, recipient, JSON.stringify({ data }), `test:${id}`],
    );
    return eventually(
      async () =>
        (
          await pool.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
            `SELECT id, status, attempts, last_error FROM communication.notification_jobs WHERE id = $1`,
            [id],
          )
        ).rows[0]!,
      (row) => row.status === 'SENT' || row.status === 'FAILED',
      30_000,
      100,
    );
  }

  const mjml = (text: string) =>
    `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

  it('fails a template with a syntax error and one missing a variable at once, naming the template and the problem', async () => {
    const broken = await template('test.broken', 'EMAIL', 'MJML', mjml('Hola {{#if nombre}}'), 'Aviso');
    const strict = await template('test.strict', 'EMAIL', 'MJML', mjml('Hola {{nombre}}'), 'Aviso');
    const syntax = await send(broken, 'EMAIL', 'ana@ejemplo.mx', { nombre: 'Ana' });
    const missing = await send(strict, 'EMAIL', 'ana@ejemplo.mx', {});
    expect(syntax).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(syntax.last_error).toMatch(/^template test\.broken\/EMAIL\/es-MX v1: /);
    expect(missing).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(missing.last_error).toMatch(/test\.strict\/EMAIL\/es-MX v1: .*"nombre"/);
    expect(mailbox.deliveries).toHaveLength(0);
  });

  it('fails an address or phone that is not one, and what the provider refuses for good, without retrying', async () => {
    const mail = await template('test.mail', 'EMAIL', 'MJML', mjml('Hola {{nombre}}'), 'Aviso para {{nombre}}');
    const text = await template('test.text', 'SMS', 'HANDLEBARS', 'Hola {{nombre}}');
    const badAddress = await send(mail, 'EMAIL', 'no-es-un-correo', { nombre: 'Ana' });
    const badPhone = await send(text, 'SMS', '+52 123', { nombre: 'Ana' });
    twilio.script(twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
    const unsubscribed = await send(text, 'SMS', '+525512345678', { nombre: 'Ana' });
    const attemptsBefore = twilio.attempts;
    expect(badAddress).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(badAddress.last_error).toContain('no-es-un-correo');
    expect(badPhone).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(unsubscribed).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(unsubscribed.last_error).toContain('21610');
    await new Promise((r) => setTimeout(r, 1500));
    expect(twilio.attempts).toBe(attemptsBefore);

    const ok = await send(text, 'SMS', '+525512345678', { nombre: 'Luis' });
    expect(ok).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(twilio.messages.map((m) => [m.to, m.body])).toEqual([['+525512345678', 'Hola Luis']]);
  });

  it('lists failed notifications with their reasons, and sends one again once its cause is fixed', async () => {
    const mail = await template('test.refused', 'EMAIL', 'MJML', mjml('Hola {{nombre}}'), 'Aviso');
    mailbox.rejectRecipients(['rechazado@ejemplo.mx']);
    const refused = await send(mail, 'EMAIL', 'rechazado@ejemplo.mx', { nombre: 'Rosa' });
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(refused.last_error).toMatch(/550/);

    const listed = await runPos(['central', 'jobs', '--url', database.url, '--redis', redis.url, '--failed']);
    expect(listed.code, listed.stderr).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.includes(refused.id))!;
    expect(line).toMatch(/EMAIL +test\.refused +r\*\*\*@ejemplo\.mx +FAILED +attempts 1 +.*550/);
    expect(listed.stdout).not.toContain('rechazado@');

    mailbox.acceptRecipients(['rechazado@ejemplo.mx']);
    const retried = await runPos(['central', 'jobs', '--url', database.url, '--redis', redis.url, '--retry', refused.id]);
    expect(retried).toMatchObject({ code: 0, stdout: `notification ${refused.id} will be sent again\n` });
    const again = await eventually(
      async () =>
        (await pool.query<{ status: string }>(`SELECT status FROM communication.notification_jobs WHERE id = $1`, [refused.id])).rows[0]!
          .status,
      (s) => s === 'SENT',
      30_000,
    );
    expect(again).toBe('SENT');
    expect(mailbox.deliveries.map((d) => d.to)).toEqual([['rechazado@ejemplo.mx']]);
    const twice = await runPos(['central', 'jobs', '--url', database.url, '--redis', redis.url, '--retry', refused.id]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe(`pos: no failed notification ${refused.id}: only a failed one is sent again\n`);
  });
});
