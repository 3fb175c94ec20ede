// The engine's log: one pino logger for the process, JSON lines in DATA_DIR/logs/engine.log
// (rotated, see rotating-file.ts) while an engine has that directory open, secrets and personal
// data redacted (redaction.ts). Warnings and errors are also one readable line on stderr, as the
// console calls they replace were, so `pos serve` and the CLI still show them; with no data
// directory open (a CLI command before it opens one, a failed start) stderr is all there is.
// Info is for what a person reading the log after an incident needs: the engine opened and
// closed, sync went up or down, a device came or went, a recovery ran. Never one line per call.
import { join } from 'node:path';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import { CENSOR, redactPaths, scrubText, serializeError, summarize } from './redaction.ts';
import { DEFAULT_ROTATION, openRotatingFile, type RotatingFile, type RotationPolicy } from './rotating-file.ts';
import { formatEntry } from './log-format.ts';

export const LOG_DIR = 'logs';
export const ENGINE_LOG = 'engine.log';

export const logDir = (dataDir: string) => join(dataDir, LOG_DIR);

type Sink = { file: RotatingFile; dataDir: string };

const sinks = new Set<Sink>();
let echo: 'warnings' | 'off' = 'warnings';

// Every open data directory gets the line (a production process holds one; a test may hold two).
const destination = {
  write(line: string) {
    for (const sink of sinks) {
      try {
        sink.file.write(line);
      } catch {
        // A full disk must not take selling down with it; stderr still gets warnings.
      }
    }
    if (sinks.size > 0 && echo === 'off') return;
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level >= 40) {
      process.stderr.write(`${formatEntry(JSON.parse(line) as Record<string, unknown>)}\n`);
    }
  },
};

const MAX_MESSAGE = 2_000;
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** A logger with the engine's level, UTC times, redaction and serializers, writing to `destination`. */
export function createLogger(destination: { write(line: string): void }, base: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level: LEVELS.includes(process.env.POS_LOG_LEVEL ?? '') ? process.env.POS_LOG_LEVEL! : 'info',
      base: { pid: process.pid, ...base },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: CENSOR },
      serializers: { err: serializeError, error: serializeError, input: summarize },
      hooks: {
        // Free text can carry a URL with its password or a bearer token, or a whole setting's value
        // (a receipt logo is a base64 image): scrubbed, and cut to a line a person can read.
        logMethod(args, method) {
          const text = (a: string) => (a.length > MAX_MESSAGE ? `${scrubText(a.slice(0, MAX_MESSAGE))}…` : scrubText(a));
          method.apply(this, args.map((a) => (typeof a === 'string' ? text(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export const log: Logger = createLogger(destination);

export type LogFile = { path: string; detach(): void };

/**
 * Sends this process's log lines to DATA_DIR/logs/<name> until detach(). The engine attaches
 * its directory while it holds the directory's owner lock, so one process writes each file.
 */
export function attachLogFile(dataDir: string, name = ENGINE_LOG, policy: RotationPolicy = DEFAULT_ROTATION): LogFile {
  const file = openRotatingFile(join(logDir(dataDir), name), policy);
  const sink: Sink = { file, dataDir };
  sinks.add(sink);
  return {
    path: file.path,
    detach() {
      if (!sinks.delete(sink)) return;
      file.close();
    },
  };
}

/**
 * Whether warnings also go to stderr while a file is attached. The desktop engine turns it off:
 * the shell copies its stderr into the log folder, and a line in both would be read twice.
 */
export function setStderrEcho(mode: 'warnings' | 'off'): void {
  echo = mode;
}

/**
 * The engine's log follows its owner lock: the file opens when the engine takes the data
 * directory and closes when it lets it go, on every path (a failed open included).
 */
export function logWhileOwned<L extends { dataDir: string; release(): void }>(lock: L, purpose: string): L {
  let file: LogFile | null = null;
  try {
    file = attachLogFile(lock.dataDir);
  } catch (err) {
    // A log folder that cannot be written (a read-only copy being inspected) must not stop the till.
    log.warn({ err, dataDir: lock.dataDir }, 'the log file cannot be opened; logging to stderr only');
  }
  log.info({ purpose, dataDir: lock.dataDir }, 'data directory opened');
  const release = lock.release.bind(lock);
  let released = false;
  return Object.assign(lock, {
    release() {
      if (released) return;
      released = true;
      log.info({ purpose }, 'data directory closed');
      file?.detach();
      file = null;
      release();
    },
  });
}

// A process that dies on an error nobody caught leaves its last words in the file, not only on a
// stderr that nobody reads in serve mode. The monitor changes nothing else: the process still stops.
process.on('uncaughtExceptionMonitor', (err, origin) => {
  log.fatal({ err, origin }, 'the process is stopping on an error nothing caught');
});
