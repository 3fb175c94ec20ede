// The engine's log on real files: rotated by size into a bounded set, 0600 files in a 0700
// folder, and nothing secret or personal written down.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachLogFile, log, logDir } from '#engine/log/logger.ts';
import { openRotatingFile } from '#engine/log/rotating-file.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const dirs = tempDirs('log');
const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the rotating log file', () => {
  it('keeps the newest lines in the live file and at most `keep` older files, each under the size limit', () => {
    const dir = dirs();
    const path = join(dir, 'logs', 'engine.log');
    const file = openRotatingFile(path, { maxBytes: 1_000, keep: 2 });
    for (let i = 0; i < 100; i++) file.write(`${JSON.stringify({ n: i, pad: 'x'.repeat(60) })}\n`);
    file.close();
    const files = [path, `${path}.1`, `${path}.2`];
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(1_000);
    expect(existsSync(`${path}.3`)).toBe(false);
    // Oldest first across the kept files: an unbroken run of numbers ending at the last line written.
    const kept = [...files]
      .reverse()
      .flatMap(lines)
      .map((l) => (JSON.parse(l) as { n: number }).n);
    expect(kept.at(-1)).toBe(99);
    expect(kept).toEqual(kept.map((_, i) => kept[0]! + i));
    expect(kept.length).toBeLessThan(100);
  });

  it('writes its files 0600 in a 0700 folder, even where the folder and file were made open before', async () => {
    const dir = dirs();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'logs'), { mode: 0o755 });
    writeFileSync(join(dir, 'logs', 'engine.log'), '', { mode: 0o644 });
    const file = openRotatingFile(join(dir, 'logs', 'engine.log'), { maxBytes: 200, keep: 1 });
    file.write(`${'a'.repeat(150)}\n`);
    file.write(`${'b'.repeat(150)}\n`);
    file.close();
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    expect(mode(join(dir, 'logs', 'engine.log'))).toBe(0o600);
    expect(mode(join(dir, 'logs', 'engine.log.1'))).toBe(0o600);
  });
});

describe('the engine logger', () => {
  it('writes JSON lines with the time in UTC to the attached data directory until detached', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    log.info({ registerCode: 'CAJA-1' }, 'sync: online');
    file.detach();
    log.info('after detach');
    const [entry, ...rest] = lines(join(logDir(dir), 'engine.log')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ level: 30, msg: 'sync: online', registerCode: 'CAJA-1' });
    expect(entry!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('censors PINs, passwords, tokens, codes and personal data at any level it keeps, and drops what is deeper', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    log.error(
      {
        input: {
          pin: '97531864',
          employee: { email: 'rosa@example.com', phone: '+525512345678', newPassword: 'Esperanza-Dueña-2026' },
          override: { employeeId: 'e1', pin: '13572468' },
          deep: { a: { b: { c: { pin: '86420975' } } } },
          kyc: { level: 1, data: { rfc: 'NUÑR800101ABC' } },
        },
        headers: { authorization: 'Bearer tok_8f3a9c', 'x-override-pin': '11223344' },
        code: '482913',
      },
      'call failed for postgres://caja_1:Zp9-secret@central:5432/pos with Bearer tok_77aa',
    );
    file.detach();
    const text = readFileSync(join(logDir(dir), 'engine.log'), 'utf8');
    for (const secret of [
      '97531864',
      'rosa@example.com',
      '+525512345678',
      'Esperanza-Dueña-2026',
      '13572468',
      '86420975',
      'NUÑR800101ABC',
      'tok_8f3a9c',
      '11223344',
      '482913',
      'Zp9-secret',
      'tok_77aa',
    ]) {
      expect(text).not.toContain(secret);
    }
    const entry = JSON.parse(text) as { input: { pin: string; override: { employeeId: string } }; msg: string };
    expect(entry.input.pin).toBe('[redacted]');
    // What is not secret stays readable: whose override it was, and where the database is.
    expect(entry.input.override.employeeId).toBe('e1');
    expect(entry.msg).toContain('postgres://caja_1:[redacted]@central:5432/pos');
  });

  it('logs an error with its stack and database code but not the bound parameters of a failed query', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "employees_email_key"'), {
      code: '23505',
      constraint: 'employees_email_key',
    });
    const failed = new Error('Failed query: insert into "business"."employees" ("email") values ($1)\nparams: ana.perez@example.com', {
      cause,
    });
    log.error({ err: failed }, 'call failed');
    file.detach();
    const entry = JSON.parse(readFileSync(join(logDir(dir), 'engine.log'), 'utf8')) as {
      err: { message: string; stack: string; cause: { errorCode: string; constraint: string } };
    };
    expect(entry.err.message).toContain('insert into "business"."employees"');
    expect(entry.err.stack).toContain('log-files.test.ts');
    expect(entry.err.cause).toMatchObject({ errorCode: '23505', constraint: 'employees_email_key' });
    expect(JSON.stringify(entry)).not.toContain('ana.perez@example.com');
  });

  it('cuts a message that carries a whole value (a base64 logo in a bad setting) to a readable length', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    log.warn(`settings: receipt.logo = "${'iVBORw0KGgo'.repeat(10_000)}" is not valid; using the default`);
    file.detach();
    const entry = JSON.parse(readFileSync(join(logDir(dir), 'engine.log'), 'utf8')) as { msg: string };
    expect(entry.msg.length).toBeLessThanOrEqual(2_001);
    expect(entry.msg).toMatch(/^settings: receipt\.logo = "iVBORw0KGgo/);
  });

  it('writes the error that stops the process into the file before the process ends', async () => {
    const dir = dirs();
    const { spawnSync } = await import('node:child_process');
    const logger = new URL('../../electron/engine/log/logger.ts', import.meta.url).pathname;
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
      const { attachLogFile } = await import(${JSON.stringify(logger)});
      attachLogFile(${JSON.stringify(dir)});
      setTimeout(() => { throw new Error('the print spool lost its mind'); }, 1);`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.status).not.toBe(0);
    const entries = readFileSync(join(logDir(dir), 'engine.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; err: { message: string; stack: string } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 60, err: { message: 'the print spool lost its mind' } });
  });
});
