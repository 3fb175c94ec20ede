// A manager's phone subscribed to central's alerts, through the real path: the manager asks at a
// register, the request goes up with sync as a journal fact, a `pos central serve` process (HTTP
// side and workers) e-mails them a link to a real SMTP server on loopback, the link's page is
// served, the page's POST with the link's token stores the phone's subscription, and the next
// alert for that manager reaches a Web Push service on loopback, encrypted for that subscription.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { LINK_TTL_MS, makeLinkToken } from '#engine/server/central/phone/link-token.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { PUSH_LINK_REQUESTED, type PushLinkFact } from '#engine/services/notifications/phone-link.ts';
import type { TestDatabase } from '../support/central.ts';
import { eventually, type Served, serveCentral } from '../support/central-service.ts';
import { ok } from '../support/demo-engine.ts';
import { type LoopbackPush, type PushSubscriptionJson, startLoopbackPush } from '../support/loopback-push.ts';
import { freePort } from '../support/private-postgres.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { type SmtpMailbox, startSmtpMailbox } from '../support/smtp-mailbox.ts';
import {
  branchId,
  businessId,
  createCentral,
  demo,
  openTerminal,
  provisionDir,
  type TestTerminal,
  waitFor,
} from '../support/sync-fixture.ts';

const SECRET = 'la-clave-de-los-enlaces-de-prueba-2026-abcdef';
const MANAGER_ADDRESS = 'joaquin.pena@laesperanza.example';

describe("a manager's phone subscribed to central's alerts", () => {
  let database: TestDatabase;
  let central: Central;
  let terminal: TestTerminal;
  let redis: PrivateRedis;
  let mailbox: SmtpMailbox;
  let push: LoopbackPush;
  let served: Served;
  let publicUrl: string;
  let managerToken: string;
  let people: Record<string, { employee: string; user: string }>;
  let token = '';
  let phone: PushSubscriptionJson;
  const vapid = webpush.generateVAPIDKeys();
  const started: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pos-phone-push-'));

  /** The cashier asking for a link in the owner's name: central refuses it and sets it aside, which alerts the managers. */
  const forgeLinkRequest = () => {
    const forged: PushLinkFact = {
      id: uuidv7(),
      businessId,
      branchId,
      employeeId: people['003']!.employee,
      userId: people['001']!.user,
      requestedAt: new Date().toISOString(),
    };
    const { fact } = terminal.engine.services.journal.append(PUSH_LINK_REQUESTED, `forged-link-${forged.id}`, forged);
    terminal.engine.services.sync!.kick();
    return fact;
  };

  const subscribe = (bearer: string | null, body: unknown) =>
    fetch(`${publicUrl}/push/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
  const subscriptions = () =>
    central.sql.query<{ id: string; user_id: string; endpoint: string; keys: unknown; revoked_at: Date | null }>(
      'SELECT id, user_id, endpoint, keys, revoked_at FROM communication.push_subscriptions ORDER BY created_at',
    );
  const linkMails = () => mailbox.deliveries.filter((d) => d.text?.includes('/push/subscribe?t='));

  beforeAll(async () => {
    let registerIds: string[];
    [{ database, central, registerIds }, redis, mailbox, push] = await Promise.all([
      createCentral('phone_push', 1),
      startPrivateRedis(),
      startSmtpMailbox(),
      startLoopbackPush(),
    ]);
    await seedTemplates(central.sql);
    const staff = await central.sql.query<{ code: string; id: string; user_id: string }>(
      'SELECT code, id, user_id FROM business.employees',
    );
    people = Object.fromEntries(staff.map((s) => [s.code, { employee: s.id, user: s.user_id }]));
    terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'phone-push'), registerIds[0]!);
    const manager = demo.store.employees[1]!;
    managerToken = ok(await terminal.engine.call('auth.signInWithPin', { employeeId: people['002']!.employee, pin: manager.pin })).token;

    // The push service's certificate is its own: the worker trusts it as an operator would a private CA.
    const ca = join(dir, 'push-ca.pem');
    writeFileSync(ca, push.certificate);
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    served = await serveCentral(
      [
        ...['--url', database.url, '--redis', redis.url, '--port', String(port), '--data-dir', dir],
        ...['--public-url', `${publicUrl}/`, '--vapid-subject', 'mailto:soporte@laesperanza.example'],
      ],
      {
        POS_CENTRAL_SMTP_URL: mailbox.url(),
        POS_CENTRAL_MAIL_FROM: 'Avisos <avisos@laesperanza.example>',
        POS_CENTRAL_VAPID_PUBLIC_KEY: vapid.publicKey,
        POS_CENTRAL_VAPID_PRIVATE_KEY: vapid.privateKey,
        POS_CENTRAL_LINK_SECRET: SECRET,
        POS_CENTRAL_ALERT_EVERY_MS: '1000',
        NODE_EXTRA_CA_CERTS: ca,
      },
      started,
    );
  }, 240_000);

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await terminal?.dispose();
    await central?.close();
    await push?.close();
    await mailbox?.close();
    await redis?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('e-mails the manager who asked at the register one link, made when it was sent and stored nowhere', async () => {
    expect(ok(await terminal.engine.call('notifications.phoneLink', {}, { token: managerToken }))).toEqual({ requested: true });
    // A second click: the same request within the minute, or one more that central folds into the first e-mail.
    ok(await terminal.engine.call('notifications.phoneLink', {}, { token: managerToken }));
    terminal.engine.services.sync!.kick();
    await eventually(
      async () => linkMails().length,
      (n) => n > 0,
      60_000,
    );
    const job = async () =>
      (
        await central.sql.query<{ status: string; user_id: string; recipient: string; payload: Record<string, string> }>(
          `SELECT j.status, j.user_id, j.recipient, j.payload FROM communication.notification_jobs j
           JOIN communication.notification_templates t ON t.id = j.template_id WHERE t.code = 'push.phone_link'`,
        )
      )[0];
    await eventually(job, (j) => j?.status === 'SENT', 30_000);
    await waitFor(() => terminal.status().pending === 0, 30_000, 'both requests at central');
    const jobs = await central.sql.query(
      `SELECT 1 FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
       WHERE t.code = 'push.phone_link'`,
    );
    expect(jobs).toHaveLength(1);
    expect(await job()).toEqual({
      status: 'SENT',
      user_id: people['002']!.user,
      recipient: MANAGER_ADDRESS,
      payload: { userId: people['002']!.user, employeeId: people['002']!.employee, branchId, registerId: terminal.registerId },
    });

    expect(linkMails()).toHaveLength(1);
    const [mail] = linkMails();
    expect(mail!.to).toEqual([MANAGER_ADDRESS]);
    expect(mail!.subject).toBe('Los avisos de tu negocio, en tu teléfono');
    expect(mail!.text).toContain('Hola, Joaquín Peña.');
    const link = new RegExp(`${publicUrl}/push/subscribe\\?t=([0-9a-f-]{36}\\.\\d+\\.[A-Za-z0-9_-]{43})`).exec(mail!.text ?? '');
    expect(link).not.toBeNull();
    token = link![1]!;
    expect(token.startsWith(`${people['002']!.user}.`)).toBe(true);
    // The token is in the e-mail alone: not in central's rows, nor in the ledger, nor in the service's log.
    const [stored] = await central.sql.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM communication.notification_jobs WHERE payload::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM communication.notification_logs WHERE provider_response::text LIKE '%' || $1 || '%')
            + (SELECT count(*) FROM sync.ledger WHERE payload::text LIKE '%' || $1 || '%') AS n`,
      [token.split('.')[2]],
    );
    expect(Number(stored!.n)).toBe(0);
  }, 120_000);

  it('sends one e-mail a minute at most per person, and nothing to a person central has no address for', async () => {
    const phoneLinkJobs = async () =>
      (
        await central.sql.query<{ user_id: string }>(
          `SELECT j.user_id FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
           WHERE t.code = 'push.phone_link'`,
        )
      ).map((j) => j.user_id);
    // The manager again, from a request the register journalled as another minute's: central's rule, not the journal's.
    const later: PushLinkFact = {
      id: uuidv7(),
      businessId,
      branchId,
      employeeId: people['002']!.employee,
      userId: people['002']!.user,
      requestedAt: new Date(Date.now() + 61_000).toISOString(),
    };
    terminal.engine.services.journal.append(PUSH_LINK_REQUESTED, `push-link:${later.employeeId}:later`, later);
    // The cashier, whom central knows without an address.
    await central.sql.query('UPDATE auth.users SET email = NULL WHERE id = $1', [people['003']!.user]);
    expect(ok(await terminal.engine.call('notifications.phoneLink', {}, { token: terminal.token }))).toEqual({ requested: true });
    terminal.engine.services.sync!.kick();
    await waitFor(() => terminal.status().pending === 0, 30_000, 'both requests at central');
    expect(terminal.status().quarantined).toEqual([]);
    expect(await phoneLinkJobs()).toEqual([people['002']!.user]);
  });

  it("serves the link's page in the manager's language with central's VAPID key, its script and the service worker", async () => {
    const page = await fetch(`${publicUrl}/push/subscribe?t=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<html lang="es-MX">');
    expect(html).toContain('Hola, Joaquín Peña.');
    expect(html).toContain('Activar avisos');
    expect(html).toContain(`data-vapid-key="${vapid.publicKey}"`);
    expect(html).toContain('<link rel="manifest" href="manifest.webmanifest">');
    expect(html).not.toContain(token);
    expect(html).not.toMatch(/data:image/);

    const script = await fetch(`${publicUrl}/push/subscribe.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('pushManager.subscribe');
    const worker = await fetch(`${publicUrl}/push/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await worker.text()).toContain('showNotification');
    const manifest = await fetch(`${publicUrl}/push/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(await manifest.json()).toMatchObject({ display: 'standalone', scope: './' });

    const forged = await fetch(`${publicUrl}/push/subscribe?t=${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, {
      headers: { 'accept-language': 'en-US,en;q=0.8' },
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('This link no longer works');
  });

  it("stores the phone's subscription for the link's holder: 201 when new, 200 when known, revived and moved to whoever subscribes it", async () => {
    phone = push.subscribe({ applicationServerKey: vapid.publicKey });
    const first = await subscribe(token, { ...phone, expirationTime: null });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    expect(await subscriptions()).toEqual([
      { id, user_id: people['002']!.user, endpoint: phone.endpoint, keys: phone.keys, revoked_at: null },
    ]);

    const again = await subscribe(token, phone);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id });

    // Revoked (the browser unsubscribed once), then subscribed again by the owner on the same phone.
    await central.sql.query('UPDATE communication.push_subscriptions SET revoked_at = now() WHERE id = $1', [id]);
    const ownerToken = makeLinkToken(SECRET, people['001']!.user, new Date(Date.now() + LINK_TTL_MS));
    expect((await subscribe(ownerToken, phone)).status).toBe(200);
    expect(await subscriptions()).toMatchObject([{ id, user_id: people['001']!.user, revoked_at: null }]);
    // And back to the manager, whose phone it is.
    expect((await subscribe(token, phone)).status).toBe(200);
    expect(await subscriptions()).toMatchObject([{ id, user_id: people['002']!.user, revoked_at: null }]);
  });

  it('refuses a forged, expired or missing token with 401, and a body that is not a subscription with 400, storing nothing', async () => {
    const other = push.subscribe({ applicationServerKey: vapid.publicKey });
    const manager = people['002']!.user;
    const foreign = makeLinkToken('otra-clave-que-central-no-conoce-de-32-caracteres', manager, new Date(Date.now() + LINK_TTL_MS));
    const expired = makeLinkToken(SECRET, manager, new Date(Date.now() - 1000));
    const unknown = makeLinkToken(SECRET, uuidv7(), new Date(Date.now() + LINK_TTL_MS));
    for (const bearer of [foreign, expired, unknown, 'not-a-token', null]) {
      const refused = await subscribe(bearer, other);
      expect(refused.status, String(bearer)).toBe(401);
    }
    const bad: unknown[] = [
      { ...other, endpoint: other.endpoint.replace('https:', 'http:') },
      { endpoint: other.endpoint },
      { ...other, keys: { ...other.keys, p256dh: other.keys.p256dh.slice(0, 40) } },
      { ...other, keys: { ...other.keys, auth: 'not base64url!' } },
      { ...other, userId: people['001']!.user },
      [other],
    ];
    for (const body of bad) {
      const refused = await subscribe(token, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await subscriptions()).map((s) => s.endpoint)).toEqual([phone.endpoint]);
  });

  it("sends the manager's next alert to the phone, encrypted for its subscription", async () => {
    // A forged request (the cashier naming the owner's user) is refused and set aside at central:
    // an alert for those who manage sync, the manager among them.
    const fact = forgeLinkRequest();
    await waitFor(() => terminal.status().quarantined.length === 1, 30_000, 'the forged request set aside');
    expect(terminal.status().quarantined).toEqual([
      expect.objectContaining({ seq: fact.seq, kind: PUSH_LINK_REQUESTED, reason: expect.stringContaining('is not user') }),
    ]);
    await eventually(
      async () => push.deliveries.length,
      (n) => n > 0,
      60_000,
    );
    expect(push.deliveries).toHaveLength(1);
    const [delivery] = push.deliveries;
    expect(delivery!.endpoint).toBe(phone.endpoint);
    expect(delivery!.vapid).toMatchObject({ publicKey: vapid.publicKey, subject: 'mailto:soporte@laesperanza.example' });
    expect(JSON.parse(delivery!.payload)).toEqual({
      title: 'Registro en cuarentena: CAJA-1',
      body: expect.stringContaining(`${PUSH_LINK_REQUESTED}: `),
    });
    // No link for the forged request.
    expect(linkMails()).toHaveLength(1);
  }, 120_000);

  it('revokes a subscription the push service says is gone, and addresses no later alert to it', async () => {
    const pushJobs = () =>
      central.sql.query<{ status: string; last_error: string | null }>(
        `SELECT status, last_error FROM communication.notification_jobs WHERE channel = 'PUSH' ORDER BY created_at`,
      );
    // The manager's browser unsubscribed: the push service answers 410 from now on.
    push.expire(phone.endpoint);
    forgeLinkRequest();
    const jobs = await eventually(pushJobs, (j) => j.length === 2 && j[1]!.status === 'FAILED', 60_000);
    expect(jobs[1]!.last_error).toMatch(/subscription is gone \(410\)/);
    expect(await subscriptions()).toEqual([expect.objectContaining({ endpoint: phone.endpoint, revoked_at: expect.any(Date) })]);
    const tried = push.requests;

    // The next alert reaches the manager by no push at all.
    forgeLinkRequest();
    await waitFor(() => terminal.status().quarantined.length === 3, 30_000, 'the third forged request set aside');
    // Raised (the bell's row and the jobs are written together), and no job for the gone phone.
    const bell = () =>
      central.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM communication.in_app_notifications WHERE user_id = $1 AND data->>'code' = 'sync.quarantine'`,
        [people['002']!.user],
      );
    expect((await eventually(bell, (b) => b[0]!.n === 3, 60_000))[0]!.n).toBe(3);
    expect((await pushJobs()).length).toBe(2);
    expect(push.requests).toBe(tried);
  }, 120_000);

  it("never writes a link's token to the service's log", () => {
    expect(served.output()).toContain('a phone subscribed to pushes');
    expect(served.output()).not.toContain(token.split('.')[2]);
  });
});
