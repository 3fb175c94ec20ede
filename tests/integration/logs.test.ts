// The engine's log end to end, through `pos serve` in a process of its own: a call that fails
// inside the engine answers INTERNAL with an incident id, the same id is in the log line that
// holds the stack, the PIN the call carried is not in the file, and `pos logs` shows it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireOwnerLock } from '#db/owner-lock.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { openEngine } from '#engine/engine.ts';
import { INCIDENT_ID } from '#engine/log/incident.ts';
import { exited, ROOT, runPos } from '../support/run-cli.ts';
import { tempDir } from '../support/local.ts';
import { demoDataDir } from '../support/demo-template.ts';

const POS = join(ROOT, 'bin', 'pos.mjs');

/**
 * A database that fails where no handler expects it: a trigger standing in for a damaged table
 * refuses every new session, so a right PIN reaches a query that throws a plain database error.
 */
async function terminalWithBrokenSessions(dir: string): Promise<void> {
  const engine = await openEngine(dir, { purpose: 'test: break the sessions table', devices: false, sync: false });
  try {
    await setUpDemoStore(engine, readDemoStore());
    await engine.services.sql.query(`
      CREATE FUNCTION auth.test_sessions_broken() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not read block 7 in file "base/5/16999": read only 0 of 8192 bytes' USING ERRCODE = 'XX001'; END $$`);
    await engine.services.sql.query(
      `CREATE TRIGGER sessions_broken BEFORE INSERT ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.test_sessions_broken()`,
    );
  } finally {
    await engine.close();
  }
}

function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [POS, 'serve', '--data-dir', dir, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, POS_DEBUG: '' },
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /is open at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`pos serve exited with ${code}: ${stderr}`)));
  });
}

const post = async (url: string, call: string, input: unknown) => {
  const res = await fetch(`${url}/api/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; value?: any; error?: { code: string; message: string; params?: { incidentId?: string } } },
  };
};

describe('the log of a terminal serving the screens', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  const cashier = readDemoStore().store.employees[2]!;

  beforeAll(async () => {
    dir = demoDataDir('logs');
    await terminalWithBrokenSessions(dir);
    server = await serve(dir);
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    if (server) await exited(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers an internal failure with an incident id that names the log line holding the stack, and no PIN', async () => {
    const staff = await post(server.url, 'auth.staffForSignIn', {});
    const id = (staff.body.value as { employeeId: string; displayName: string }[]).find(
      (s) => s.displayName === cashier.displayName,
    )!.employeeId;
    const failed = await post(server.url, 'auth.signInWithPin', { employeeId: id, pin: cashier.pin });
    expect(failed.status).toBe(500);
    expect(failed.body.error!.code).toBe('INTERNAL');
    const incidentId = failed.body.error!.params!.incidentId!;
    expect(incidentId).toMatch(INCIDENT_ID);
    expect(failed.body.error!.message).toContain(incidentId);

    const log = join(dir, 'logs', 'engine.log');
    const entries = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
    const incident = entries.filter((e) => e.incidentId === incidentId);
    expect(incident).toHaveLength(1);
    expect(incident[0]).toMatchObject({ level: 50, call: 'auth.signInWithPin', input: { employeeId: id, pin: '[redacted]' } });
    // The frames where it failed (a sign-in now runs in a transaction, whose frames are PGlite's and the session's, not dispatch's).
    expect(incident[0]!.err.stack).toMatch(/\n\s+at .*createSession/);
    expect(incident[0]!.err.cause).toMatchObject({ errorCode: 'XX001', message: expect.stringContaining('could not read block 7') });
    // The failed query's parameters (the session's token hash among them) stay out.
    expect(incident[0]!.err.message).toContain('params: [left out]');
    // The demo PIN as a value anywhere in the file (a number of the clock or a pid is not quoted).
    expect(readFileSync(log, 'utf8')).not.toContain(`"${cashier.pin}"`);
    expect(entries.some((e) => e.msg === 'data directory opened' && e.purpose === 'pos serve')).toBe(true);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
  });

  it('shows the incident in pos logs, one line per entry, and as JSON with --json', async () => {
    const failed = await post(server.url, 'auth.signInWithPin', {
      employeeId: ((await post(server.url, 'auth.staffForSignIn', {})).body.value as { employeeId: string }[])[0]!.employeeId,
      pin: '97531864',
    });
    // A wrong PIN is the cashier's mistake, not an incident; only the right one reaches the broken table.
    expect(failed.body.error).toMatchObject({ code: 'BAD_CREDENTIALS' });
    const shown = await runPos(['logs', '--data-dir', dir]);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    const line = shown.stdout.split('\n').find((l) => l.includes(' ERROR call failed'))!;
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR call failed call=auth\.signInWithPin incidentId=[0-9A-Z]{4}-[0-9A-Z]{4} /);
    expect(shown.stdout).not.toContain('97531864');
    const json = await runPos(['logs', '--json', '--data-dir', dir]);
    expect(json.code).toBe(0);
    expect(
      json.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number })
        .filter((e) => e.level === 50),
    ).toHaveLength(1);
  });
});

describe('serve mode that cannot open its data directory', () => {
  it('stops before serving with one line saying why and what to do, and logs nothing into a directory it does not own', async () => {
    const dir = tempDir('logs-held');
    const lock = acquireOwnerLock(dir, 'the desktop app');
    try {
      const refused = await runPos(['serve', '--data-dir', dir, '--port', '0']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(
        /^pos: data directory .* is in use by another POS process \(pid \d+ .*the desktop app\); close it first/,
      );
      expect(readLogLines(dir)).toEqual([]);
    } finally {
      lock.release();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function readLogLines(dir: string): string[] {
  try {
    return readFileSync(join(dir, 'logs', 'engine.log'), 'utf8')
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}
