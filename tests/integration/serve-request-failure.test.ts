// A request that fails in serve mode outside dispatch() (which answers its own failures) is an
// incident like any other: one error line in the engine's log with the stack and an incident
// number, and the server goes on answering. The one real way to get there from outside is a
// client that goes away while its body is still being read; it is sent here over a real socket.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_ID } from '#engine/log/incident.ts';
import { startServer, type RunningServer } from '#engine/server/serve.ts';
import { openDemoEngine } from '../support/demo-engine.ts';

describe('serve mode, a request that fails outside the call itself', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let server: RunningServer;

  beforeAll(async () => {
    demo = await openDemoEngine('serve-request-failure');
    server = await startServer(demo.engine, { port: 0 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await demo?.dispose();
  });

  const failures = () =>
    readFileSync(join(demo.dir, 'logs', 'engine.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; incidentId?: string; err?: { stack?: string } })
      .filter((line) => line.msg === 'serve: a request failed');

  it('is logged as an error with its stack and an incident number, and the next request is answered', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // A body promised at 100 bytes, 10 sent, then the connection reset.
    socket.write(
      `POST /api/auth.staffForSignIn HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":"bcd"`,
    );
    await new Promise((r) => setTimeout(r, 100));
    socket.resetAndDestroy();
    await expect.poll(() => failures().length, { timeout: 10_000 }).toBe(1);
    const [line] = failures();
    expect(line!.level).toBe(50);
    expect(line!.incidentId).toMatch(INCIDENT_ID);
    expect(line!.err?.stack).toMatch(/\n\s+at /);

    const next = await fetch(`${server.url}/api/auth.staffForSignIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(next.status).toBe(200);
    expect(((await next.json()) as { ok: boolean }).ok).toBe(true);
  }, 60_000);
});
