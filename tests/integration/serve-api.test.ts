// Serve mode over real sockets on 127.0.0.1: the contract as POST /api/<call> for the screens
// and for scripts, the engine's events on a WebSocket for a signed-in screen, and the built
// screens as static files with a strict policy. Bad requests get the engine's own error shape.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '#engine/server/serve.ts';
import { openDemoEngine, signIn } from '../support/demo-engine.ts';
import { tempDir } from '../support/local.ts';
import { freshDataDir } from '../support/pglite-template.ts';

const ARROZ = '7505599000026';

type Answer = { status: number; body: any; headers: Record<string, string | string[] | undefined> };

describe('serve mode', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let server: RunningServer;
  let cashier: string;
  const site = tempDir('serve-static');

  const http = (path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode!, body, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  const api = (call: string, input: unknown, headers: Record<string, string> = {}) =>
    http(`/api/${call}`, { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json', ...headers } });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>Caja</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(site, 'assets', 'app.js'), 'console.log("caja")');
    demo = await openDemoEngine('serve-api');
    server = await startServer(demo.engine, { port: 0, staticDir: site });
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await demo?.dispose();
  });

  it("answers a call with the engine's result, and signs in over HTTP like the screens do", async () => {
    const staff = await api('auth.staffForSignIn', {});
    expect(staff.status).toBe(200);
    expect(staff.body.ok).toBe(true);
    const signedIn = await api('auth.signInWithPin', { employeeId: demo.people.cashier.id, pin: demo.people.cashier.pin });
    expect(signedIn).toMatchObject({ status: 200, body: { ok: true, value: { token: expect.any(String) } } });
    const methods = await api('sales.paymentMethods', {}, bearer(signedIn.body.value.token));
    expect(methods).toMatchObject({ status: 200, body: { ok: true } });
    expect(methods.headers['cache-control']).toBe('no-store');
  });

  it('tells the screens, before anyone signs in, whose register this is and how its money and dates look', async () => {
    expect(await api('terminal.info', {})).toMatchObject({
      status: 200,
      body: {
        ok: true,
        value: {
          businessName: 'Abarrotes La Esperanza',
          registerCode: 'CAJA-1',
          currency: 'MXN',
          timezone: 'America/Mexico_City',
          locale: 'es-MX',
        },
      },
    });
  });

  it('says what is wrong with a bad request, with a status a script can branch on, and changes nothing', async () => {
    expect(await api('sales.current', {})).toMatchObject({ status: 401, body: { ok: false, error: { code: 'NOT_SIGNED_IN' } } });
    expect(await api('sales.teleport', {}, bearer(cashier))).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_CALL' } } });
    expect(await api('sales.open', { idempotencyKey: 'x' }, bearer(cashier))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT' } },
    });
    expect(
      await http('/api/sales.current', { method: 'POST', body: '{"oops', headers: { 'content-type': 'application/json' } }),
    ).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT', message: 'the body is not valid JSON' } } });
    expect(
      await http('/api/sales.current', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ).toMatchObject({ status: 415 });
    expect(await http('/api/sales.current')).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(
      await http('/api/sales.current', {
        method: 'POST',
        body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({ status: 413 });
    const sales = await demo.engine.services.sql.query(`SELECT id FROM sales.sales`);
    expect(sales).toEqual([]);
  });

  it("takes a manager's override from its two headers", async () => {
    await api('shifts.open', { idempotencyKey: 'serve-shift-1', openingFloat: '500' }, bearer(cashier));
    const alone = await api('drawer.noSale', { reason: 'cambio', idempotencyKey: 'serve-no-sale-1' }, bearer(cashier));
    expect(alone).toMatchObject({ status: 403, body: { error: { code: 'OVERRIDE_REQUIRED' } } });
    const approved = await api(
      'drawer.noSale',
      { reason: 'cambio', idempotencyKey: 'serve-no-sale-1' },
      {
        ...bearer(cashier),
        'x-override-employee': demo.people.manager.id,
        'x-override-pin': demo.people.manager.pin,
      },
    );
    expect(approved).toMatchObject({ status: 200, body: { ok: true, value: { repeated: false } } });
  });

  it('refuses a call sent by a page of another origin, so a site the cashier opens cannot drive the register', async () => {
    const forged = await api('auth.staffForSignIn', {}, { origin: 'https://evil.example' });
    expect(forged).toMatchObject({ status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } });
    // A sandboxed frame or a file:// page says "null": not this server either.
    expect((await api('sales.current', {}, { ...bearer(cashier), origin: 'null' })).status).toBe(403);
    expect((await api('auth.staffForSignIn', {}, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    // The served screens send their own origin; scripts (curl) send none.
    expect((await api('auth.staffForSignIn', {}, { origin: server.url })).status).toBe(200);
    expect((await api('auth.staffForSignIn', {}, { origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await api('auth.staffForSignIn', {})).status).toBe(200);
  });

  it('refuses a request addressed to another host name, as a DNS-rebinding page would send', async () => {
    const answer = await api('auth.staffForSignIn', {}, { host: 'evil.example' });
    expect(answer.status).toBe(421);
  });

  it("sends a signed-in screen the engine's events, and only after it signs in", async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/events`, { origin: server.url });
    const messages: any[] = [];
    socket.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => socket.once('open', r));
    const sale = await api('sales.open', { idempotencyKey: 'serve-sale-1' }, bearer(cashier));
    await api('sales.addItem', { saleId: sale.body.value.id, code: ARROZ }, bearer(cashier));
    await new Promise((r) => setTimeout(r, 100));
    expect(messages).toEqual([]);
    socket.send(JSON.stringify({ token: cashier }));
    await until(() => messages.some((m) => m.event === 'ready'));
    await api('sales.addItem', { saleId: sale.body.value.id, code: ARROZ }, bearer(cashier));
    await until(() => messages.some((m) => m.event === 'customer.view'));
    expect(messages.find((m) => m.event === 'customer.view').payload).toMatchObject({
      kind: 'line',
      name: 'Arroz súper extra 900 g',
      lineTotal: '63.0000',
      total: '63.0000',
    });
    socket.close();
  });

  it('answers calls sent on the signed-in socket with the session of that socket, and ignores junk', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/events`, { origin: server.url });
    const messages: any[] = [];
    socket.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ token: cashier }));
    await until(() => messages.some((m) => m.event === 'ready'));
    socket.send('not json');
    socket.send(JSON.stringify({ id: { nested: true }, call: 'sales.current' }));
    socket.send(JSON.stringify({ id: 7, call: 'sales.paymentMethods', input: {} }));
    socket.send(JSON.stringify({ id: 'x8', call: 'devices.configure', input: { registerCode: 'CAJA-1', devices: {} } }));
    await until(() => messages.filter((m) => m.id !== undefined).length === 2);
    expect(messages.find((m) => m.id === 7).result).toMatchObject({ ok: true });
    // The socket carries the cashier's session: the cashier's permissions apply.
    expect(messages.find((m) => m.id === 'x8').result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    socket.close();
  });

  it('closes a socket whose token is not a session, and refuses a page from another origin', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/events`);
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ token: 'not-a-session' }));
    const [code] = await new Promise<[number]>((r) => socket.once('close', (c) => r([c])));
    expect(code).toBe(4003);

    const foreign = new WebSocket(`${server.url.replace('http', 'ws')}/events`, { origin: 'https://evil.example' });
    const refused = await new Promise<string>((r) => {
      foreign.once('unexpected-response', (_req, res) => r(String(res.statusCode)));
      foreign.once('error', (e) => r(e.message));
    });
    expect(refused).toMatch(/403/);
  });

  it('serves the screens with a strict content policy, routes to the app, and never outside its folder', async () => {
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Caja</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await http('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await http('/cobrar/pago')).body).toContain('<title>Caja</title>');
    const traversal = await http('/..%2f..%2f..%2fetc%2fpasswd');
    expect(String(traversal.body)).not.toContain('root:');
  });

  it('answers a path whose percent-encoding is broken with 400, not an internal error', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%', '/%zz', '/%C0%AF']) {
      expect((await http(path)).status, path).toBe(400);
    }
    // The server is still answering afterwards.
    expect((await http('/')).status).toBe(200);
  });
});

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pos serve', () => {
  it('opens the demo store for a browser, answers the API, and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { ROOT } = await import('../support/run-cli.ts');
    const dir = freshDataDir('pos-serve');
    const child = spawn(process.execPath, ['bin/pos.mjs', 'serve', '--port', '0', '--data-dir', dir], {
      cwd: ROOT,
      env: { ...process.env, POS_DEBUG: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const end = Date.now() + 60_000;
    while (!/is open at (http:\/\/127\.0\.0\.1:\d+)/.test(out)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`pos serve did not open: ${out} ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /is open at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    const answer = await fetch(`${url}/api/auth.staffForSignIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { value: unknown[] }).value).toHaveLength(3);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe('');
  }, 90_000);
});
