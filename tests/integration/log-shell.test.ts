// The desktop shell's side of the log: what the engine's process prints reaches shell.log, an
// engine that cannot open says why on the register's screen, and the shell restarts it only when
// waiting can help.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOwnerLock } from '#db/owner-lock.ts';
import { openEngine } from '#engine/engine.ts';
import { copyOutputToLog, openShellLog } from '#engine/log/shell-log.ts';
import { startFailureOf } from '#engine/start-failure.ts';
import { openHostEngine, runEngineHost, type HostParent } from '#engine/utility-host.ts';
import { afterEngineExit, START_RETRY_MS } from '../../electron/shell/engine-restart.ts';
import { isEngineWaitPage, RECOVERING_PATH, shellPage, startFailedPath } from '../../electron/shell/shell-pages.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const dirs = tempDirs('log-shell');
const dataDirs = tempDirs('log-shell-data', freshDataDir);

describe("the engine process's output in the desktop app", () => {
  it('goes to shell.log line by line, stderr as warnings, a last line without its newline included', async () => {
    const dir = dirs();
    const shell = openShellLog(dir);
    const child = spawn(process.execPath, [
      '-e',
      `
      process.stdout.write('opening the engine\\n');
      process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed\\n');
      process.stderr.write('half a line');`,
    ]);
    copyOutputToLog(child.stdout, shell.log, { process: 'engine', stream: 'stdout' });
    copyOutputToLog(child.stderr, shell.log, { process: 'engine', stream: 'stderr' });
    await new Promise((resolve) => child.once('close', resolve));
    shell.close();
    const entries = readFileSync(join(dir, 'logs', 'shell.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map(({ level, msg, output, source }) => ({ level, msg, output, source }))).toEqual(
      expect.arrayContaining([
        { level: 30, msg: 'opening the engine', output: 'engine stdout', source: 'shell' },
        { level: 40, msg: 'FATAL ERROR: Reached heap limit Allocation failed', output: 'engine stderr', source: 'shell' },
        { level: 40, msg: 'half a line', output: 'engine stderr', source: 'shell' },
      ]),
    );
    expect(entries).toHaveLength(3);
  });
});

describe('an engine that cannot open', () => {
  it('says the directory is in use when another process holds it, so the shell can say so and wait', async () => {
    const dir = dirs();
    const lock = acquireOwnerLock(dir, 'pos serve');
    try {
      const said: unknown[] = [];
      const emitter = new EventEmitter();
      const parent: HostParent = {
        on: (event, listener) => emitter.on(event, listener),
        postMessage: (m) =>
          (m as { type: string }).type === 'want-start'
            ? setImmediate(() => emitter.emit('message', { data: { type: 'start' }, ports: [] }))
            : said.push(m),
      };
      const host = runEngineHost(parent, (start) => openHostEngine({ POS_DATA_DIR: dir }, start));
      await host.done;
      expect(said).toEqual([{ type: 'failed', message: expect.stringMatching(/is in use by another POS process/), reason: 'in-use' }]);
    } finally {
      lock.release();
    }
  });

  it('calls a journal that is not a database damaged', async () => {
    const dir = dataDirs();
    await (await openEngine(dir, { devices: false, sync: false })).close();
    const journal = readFileSync(join(dir, 'journal.sqlite'));
    journal.fill(0x41, 0, 100);
    writeFileSync(join(dir, 'journal.sqlite'), journal);
    const err = await openEngine(dir, { devices: false, sync: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(startFailureOf(err)).toBe('damaged');
  });

  it('calls data from a newer version what it is, and anything else other', () => {
    expect(startFailureOf(new Error('the database was migrated by a newer version of this app (0042_x); install it'))).toBe(
      'newer-version',
    );
    expect(startFailureOf(new Error('EACCES: permission denied, open'))).toBe('other');
  });
});

describe("after the engine's process ends", () => {
  const now = 1_000_000;
  it('restarts a crash at once behind the recovering screen', () => {
    expect(afterEngineExit(null, [now], now)).toEqual({ page: 'recovering', restartInMs: 0 });
  });

  it('shows why it could not open, and tries again every 10 s only where waiting can help', () => {
    expect(afterEngineExit('in-use', [], now)).toEqual({ page: 'in-use', restartInMs: START_RETRY_MS });
    expect(afterEngineExit('other', [], now)).toEqual({ page: 'other', restartInMs: START_RETRY_MS });
    expect(afterEngineExit('newer-version', [], now)).toEqual({ page: 'newer-version', restartInMs: null });
    expect(afterEngineExit('damaged', [], now)).toEqual({ page: 'damaged', restartInMs: null });
  });

  it('has a page for each reason that says what happened and what to do, and leaves it once the engine is ready', () => {
    for (const [reason, words] of [
      ['in-use', 'Ciérrelo: la caja se abre sola'],
      ['newer-version', 'Instale esa versión'],
      ['damaged', 'No borre nada'],
      ['other', 'Se vuelve a intentar cada 10 segundos'],
    ] as const) {
      const page = shellPage(startFailedPath(reason))!;
      expect(page.body).toContain('role="alert"');
      expect(page.body).toContain(words);
      expect(page.body).not.toContain('Recuperando');
      expect(isEngineWaitPage(`app://pos${startFailedPath(reason)}`)).toBe(true);
    }
    expect(isEngineWaitPage(`app://pos${RECOVERING_PATH}`)).toBe(true);
    expect(isEngineWaitPage('app://pos/index.html')).toBe(false);
  });
});
