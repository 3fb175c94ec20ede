// `pos logs`: the log files of a data directory as one story, oldest first: the engine's own
// (engine.log and its rotated files) and the desktop shell's (shell.log: the shell's lines and
// anything the engine's process printed outside the logger), merged by time. --follow keeps
// reading as lines arrive and across rotation: an open file descriptor keeps reading the file it
// opened after it is renamed to .1, so nothing written between two looks is skipped.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatEntry } from './log-format.ts';
import { ENGINE_LOG, logDir } from './logger.ts';
import { rotatedName } from './rotating-file.ts';

export const SHELL_LOG = 'shell.log';
const LOGS = [ENGINE_LOG, SHELL_LOG];

export type LogEntry = Record<string, unknown> & { time?: string; level?: number; msg?: string };

/** A line that is not JSON (a torn last line, a hand edit) is still shown, as its text. */
function parseLine(line: string): LogEntry {
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as LogEntry;
  } catch {
    // shown as text below
  }
  return { msg: line };
}

const linesOf = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** Every kept entry of the data directory's logs, oldest first. */
export function readLogEntries(dataDir: string): LogEntry[] {
  const dir = logDir(dataDir);
  if (!existsSync(dir)) return [];
  const present = new Set(readdirSync(dir));
  const perLog = LOGS.map((name) => {
    const rotated = [...present]
      .map((f) => (f.startsWith(`${name}.`) ? Number(f.slice(name.length + 1)) : NaN))
      .filter((n) => Number.isInteger(n) && n > 0);
    const files = [...rotated.sort((a, b) => b - a).map((n) => rotatedName(name, n)), ...(present.has(name) ? [name] : [])];
    return files.flatMap((f) => linesOf(readFileSync(join(dir, f), 'utf8'))).map(parseLine);
  });
  return mergeByTime(perLog);
}

/** Each log is already in order; entries without a time keep their place after the one before. */
function mergeByTime(logs: LogEntry[][]): LogEntry[] {
  const keyed = logs.flatMap((entries, source) => {
    let last = '';
    return entries.map((entry, i) => {
      if (typeof entry.time === 'string') last = entry.time;
      return { entry, time: last, source, i };
    });
  });
  keyed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.source - b.source || a.i - b.i));
  return keyed.map((k) => k.entry);
}

export const renderEntry = (entry: LogEntry, json: boolean) => (json ? JSON.stringify(entry) : formatEntry(entry));

type Followed = { path: string; fd: number | null; ino: number; position: number; partial: string };

/**
 * Calls `emit` with each entry appended to the live files from now on, until `signal` aborts.
 * Rotation is noticed by the path's inode changing: the old descriptor is read to its end first.
 */
export async function followLogs(
  dataDir: string,
  emit: (entry: LogEntry) => void,
  signal: AbortSignal,
  onOpen: () => void = () => undefined,
  pollMs = 250,
): Promise<void> {
  const followed: Followed[] = LOGS.map((name) => ({ path: join(logDir(dataDir), name), fd: null, ino: -1, position: 0, partial: '' }));
  const open = (f: Followed, atEnd: boolean) => {
    try {
      f.fd = openSync(f.path, 'r');
    } catch {
      f.fd = null;
      return;
    }
    const info = fstatSync(f.fd);
    f.ino = info.ino;
    f.position = atEnd ? info.size : 0;
    f.partial = '';
  };
  const drain = (f: Followed) => {
    if (f.fd === null) return;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = readSync(f.fd, buffer, 0, buffer.length, f.position);
      if (n <= 0) break;
      f.position += n;
      const text = f.partial + buffer.subarray(0, n).toString('utf8');
      const cut = text.lastIndexOf('\n');
      f.partial = cut < 0 ? text : text.slice(cut + 1);
      if (cut >= 0) linesOf(text.slice(0, cut)).forEach((l) => emit(parseLine(l)));
    }
  };
  for (const f of followed) open(f, true);
  // The history is read after the live files are opened: a line written in between is shown twice, never lost.
  onOpen();
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      // Each wait takes its abort listener away again: following for an hour is thousands of waits.
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, pollMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    for (const f of followed) {
      drain(f);
      const now = existsSync(f.path) ? statSync(f.path).ino : -1;
      if (now !== -1 && now !== f.ino) {
        // Rotated (or created): what the old file got after the last look was read just above;
        // files rotated in since then, newer than the old one, are read whole, oldest first.
        if (f.fd !== null) {
          closeSync(f.fd);
          const rotated = Array.from({ length: 16 }, (_, i) => rotatedName(f.path, i + 1));
          const was = rotated.findIndex((p) => existsSync(p) && statSync(p).ino === f.ino);
          for (const p of rotated.slice(0, Math.max(was, 0)).reverse()) linesOf(readFileSync(p, 'utf8')).forEach((l) => emit(parseLine(l)));
        }
        open(f, false);
        drain(f);
      }
    }
  }
  for (const f of followed) if (f.fd !== null) closeSync(f.fd);
}

export type LogsOptions = { dataDir: string; follow: boolean; json: boolean; write(text: string): void; signal?: AbortSignal };

/** What `pos logs` does: the kept entries, then (with --follow) new ones until interrupted. */
export async function showLogs(opts: LogsOptions): Promise<void> {
  if (!existsSync(opts.dataDir)) throw new Error(`no data directory at ${opts.dataDir}`);
  const history = () => {
    const entries = readLogEntries(opts.dataDir);
    if (entries.length === 0 && !opts.follow) opts.write(`no log entries in ${logDir(opts.dataDir)}\n`);
    for (const entry of entries) opts.write(`${renderEntry(entry, opts.json)}\n`);
  };
  if (!opts.follow) return history();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    await followLogs(opts.dataDir, (entry) => opts.write(`${renderEntry(entry, opts.json)}\n`), stop.signal, history);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    opts.signal?.removeEventListener('abort', onSignal);
  }
}
