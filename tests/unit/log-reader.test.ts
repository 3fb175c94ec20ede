// `pos logs` reads the engine's and the shell's files as one story, and --follow misses no line
// when the file it follows is rotated under it.
import { getEventListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followLogs, readLogEntries, showLogs, type LogEntry } from '#engine/log/log-reader.ts';
import { openRotatingFile } from '#engine/log/rotating-file.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const dirs = tempDirs('log-reader');
const line = (time: string, msg: string, extra: Record<string, unknown> = {}) => `${JSON.stringify({ level: 30, time, msg, ...extra })}\n`;

describe("reading a data directory's logs", () => {
  it("merges the engine's and the shell's files, rotated ones included, oldest first", () => {
    const dir = dirs();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'engine.log.2'), line('2026-12-01T10:00:00.000Z', 'e1'));
    writeFileSync(join(dir, 'logs', 'engine.log.1'), line('2026-12-01T10:00:02.000Z', 'e2'));
    writeFileSync(join(dir, 'logs', 'engine.log'), `${line('2026-12-01T10:00:04.000Z', 'e3')}not json at all\n`);
    writeFileSync(join(dir, 'logs', 'shell.log'), line('2026-12-01T10:00:01.000Z', 's1') + line('2026-12-01T10:00:03.000Z', 's2'));
    expect(readLogEntries(dir).map((e) => e.msg)).toEqual(['e1', 's1', 'e2', 's2', 'e3', 'not json at all']);
  });

  it('prints one readable line per entry, or the JSON itself with --json', async () => {
    const dir = dirs();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(
      join(dir, 'logs', 'engine.log'),
      line('2026-12-01T10:00:00.000Z', 'call failed', { level: 50, incidentId: 'K7Q2-M9XD', call: 'sales.complete' }),
    );
    let text = '';
    await showLogs({ dataDir: dir, follow: false, json: false, write: (t) => void (text += t) });
    expect(text).toBe('2026-12-01T10:00:00.000Z ERROR call failed incidentId=K7Q2-M9XD call=sales.complete\n');
    text = '';
    await showLogs({ dataDir: dir, follow: false, json: true, write: (t) => void (text += t) });
    expect(JSON.parse(text)).toMatchObject({ incidentId: 'K7Q2-M9XD', level: 50 });
  });

  it('refuses a data directory that does not exist, without making it', async () => {
    const missing = join(dirs(), 'nowhere');
    await expect(showLogs({ dataDir: missing, follow: false, json: false, write: () => undefined })).rejects.toThrow(/no data directory/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
  });

  it('follows the live file across rotations without losing or repeating a line', async () => {
    const dir = dirs();
    const file = openRotatingFile(join(dir, 'logs', 'engine.log'), { maxBytes: 400, keep: 5 });
    file.write(line('2026-12-01T10:00:00.000Z', 'before following'));
    const seen: LogEntry[] = [];
    const stop = new AbortController();
    let opened!: () => void;
    const ready = new Promise<void>((resolve) => (opened = resolve));
    const following = followLogs(dir, (e) => seen.push(e), stop.signal, opened, 20);
    await ready;
    // Written in bursts between looks, so some looks find the file rotated since the last one.
    for (let i = 0; i < 60; i++) {
      file.write(line(new Date(Date.UTC(2026, 11, 1, 10, 1, i)).toISOString(), `n${i}`));
      if (i % 7 === 6) await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    await following;
    file.close();
    expect(seen.map((e) => e.msg)).toEqual(Array.from({ length: 60 }, (_, i) => `n${i}`));
  });

  it('holds one listener on its stop signal however long it follows', async () => {
    const dir = dirs();
    openRotatingFile(join(dir, 'logs', 'engine.log'), { maxBytes: 400, keep: 5 }).close();
    const stop = new AbortController();
    const following = followLogs(
      dir,
      () => undefined,
      stop.signal,
      () => undefined,
      2,
    );
    await new Promise((r) => setTimeout(r, 200));
    const listeners = getEventListeners(stop.signal, 'abort').length;
    stop.abort();
    await following;
    expect(listeners).toBe(1);
  });
});
