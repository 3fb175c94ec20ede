// `pos central serve` as an operator runs it: a real process against the real PostgreSQL and a
// redis-server of this test's own, which the test stops and starts again.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { eventually, exitOf, serveCentral } from '../support/central-service.ts';
import { runPos } from '../support/run-cli.ts';

const started: ChildProcess[] = [];
const serve = (args: string[], env: NodeJS.ProcessEnv = {}) => serveCentral(args, env, started);

async function status(url: string): Promise<{ code: number; body: Record<string, unknown>; requestId: string | null }> {
  const res = await fetch(url, { headers: { 'x-request-id': 'probe-1' } });
  return { code: res.status, body: (await res.json()) as Record<string, unknown>, requestId: res.headers.get('x-request-id') };
}

describe('pos central serve', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-central-serve-'));
  const common = () => ['--url', database.url, '--redis', redis.url, '--port', '0', '--data-dir', dataDir];

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase('central_serve'), startPrivateRedis()]);
    const migrated = await runPos(['central', 'migrate', '--url', database.url]);
    expect(migrated.code, migrated.stderr).toBe(0);
  }, 120_000);
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await redis?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz and /readyz with 200 and echoes the request id', async () => {
    const { url } = await serve(common());
    const health = await status(`${url}/healthz`);
    expect(health).toMatchObject({ code: 200, body: { status: 'ok', role: 'all' }, requestId: 'probe-1' });
    const ready = await status(`${url}/readyz`);
    expect(ready).toMatchObject({ code: 200, body: { status: 'ready', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } } });
  }, 60_000);

  it('reports not ready while Redis is down and ready again once it is back, staying alive throughout', async () => {
    const served = await serve(common());
    expect((await status(`${served.url}/readyz`)).code).toBe(200);
    await redis.stop();
    const down = await eventually(
      () => status(`${served.url}/readyz`),
      (s) => s.code === 503,
    );
    expect(down.code).toBe(503);
    expect(down.body.checks).toMatchObject({ postgres: 'ok', migrations: 'ok' });
    expect((down.body.checks as { redis: string }).redis).not.toBe('ok');
    expect((await status(`${served.url}/healthz`)).code).toBe(200);
    await redis.start();
    const back = await eventually(
      () => status(`${served.url}/readyz`),
      (s) => s.code === 200,
    );
    expect(back.code).toBe(200);
    expect(served.child.exitCode).toBeNull();
  }, 60_000);

  it('reports not ready on a database that central migrate has not brought up to date', async () => {
    const fresh = await createTestDatabase('central_serve_unmigrated');
    try {
      const { url } = await serve([...common().slice(2), '--url', fresh.url]);
      const ready = await status(`${url}/readyz`);
      expect(ready.code).toBe(503);
      expect((ready.body.checks as { migrations: string }).migrations).toMatch(/pending \(run "pos central migrate"\): 0000_schemas, /);
    } finally {
      for (const child of started.splice(0)) child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      await fresh.drop();
    }
  }, 60_000);

  it.each([
    [['--port', 'abc'], {}, /^pos: --port must be a whole number from 0 to 65535 \(got "abc"\)$/],
    [['--role', 'nope'], {}, /^pos: --role must be one of web, worker, all \(got "nope"\)$/],
    [[], { POS_CENTRAL_REDIS: 'http://127.0.0.1:6379' }, /^pos: POS_CENTRAL_REDIS must be a URL like redis:\/\/host:6379$/],
    [[], { POS_CENTRAL_URL: 'mysql://127.0.0.1/pos' }, /^pos: POS_CENTRAL_URL must be a URL like postgres:\/\/user@host:5432\/database$/],
    [
      ['--vapid-subject', 'mailto:soporte@example.com', '--public-url', 'https://pos.example.com'],
      { POS_CENTRAL_VAPID_PUBLIC_KEY: 'BPublicKey', POS_CENTRAL_VAPID_PRIVATE_KEY: 'private', POS_CENTRAL_LINK_SECRET: 'too-short' },
      /^pos: POS_CENTRAL_LINK_SECRET must hold at least 32 random characters when Web Push is configured/,
    ],
    [
      ['--vapid-subject', 'mailto:soporte@example.com'],
      { POS_CENTRAL_VAPID_PUBLIC_KEY: 'BPublicKey', POS_CENTRAL_VAPID_PRIVATE_KEY: 'private', POS_CENTRAL_LINK_SECRET: 'x'.repeat(32) },
      /^pos: --public-url must name where managers' phones reach this service when Web Push is configured$/,
    ],
    [['--public-url', 'ftp://pos.example.com'], {}, /^pos: --public-url must be a URL like https:\/\/pos.example.com$/],
  ])(
    'refuses bad settings %j %j with one line and a non-zero exit',
    async (args, env, line) => {
      const r = await runPos(['central', 'serve', ...args], env as NodeJS.ProcessEnv);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(line);
    },
    60_000,
  );

  it('takes its settings from POS_CENTRAL_* variables when no flag is given', async () => {
    const { url } = await serve(['--port', '0', '--data-dir', dataDir], {
      POS_CENTRAL_URL: database.url,
      POS_CENTRAL_REDIS: redis.url,
      POS_CENTRAL_ROLE: 'web',
    });
    expect(await status(`${url}/healthz`)).toMatchObject({ code: 200, body: { role: 'web' } });
    expect((await status(`${url}/readyz`)).code).toBe(200);
  }, 60_000);

  it('stops on SIGTERM with exit code 0 within a few seconds, refusing connections after', async () => {
    const served = await serve(common());
    expect((await status(`${served.url}/healthz`)).code).toBe(200);
    served.child.kill('SIGTERM');
    const { code, ms } = await exitOf(served.child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(served.output()).toContain('"msg":"stopped"');
    await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('runs as a worker without listening, and stops on SIGTERM with exit code 0', async () => {
    const served = await serve([...common(), '--role', 'worker']);
    expect(served.url).toBeNull();
    served.child.kill('SIGTERM');
    expect((await exitOf(served.child)).code).toBe(0);
  }, 60_000);
});
