// The desktop shell's own log, DATA_DIR/logs/shell.log (the engine's process writes engine.log):
// the shell's lines, and every line the engine's process printed outside its logger (a native
// module's complaint, a crash's last words, anything before its log file opened), so in the
// desktop app nothing the engine says is lost. `pos logs` merges both files.
import type { Logger } from 'pino';
import { formatEntry } from './log-format.ts';
import { SHELL_LOG } from './log-reader.ts';
import { createLogger, logDir } from './logger.ts';
import { DEFAULT_ROTATION, openRotatingFile, type RotatingFile, type RotationPolicy } from './rotating-file.ts';
import { join } from 'node:path';

export type ShellLog = { log: Logger; close(): void };

/** `echo`: also print warnings and errors on this process's stderr (a development run's terminal). */
export function openShellLog(dataDir: string, opts: { echo?: boolean; policy?: RotationPolicy } = {}): ShellLog {
  let file: RotatingFile | null = null;
  let problem: unknown = null;
  try {
    file = openRotatingFile(join(logDir(dataDir), SHELL_LOG), opts.policy ?? DEFAULT_ROTATION);
  } catch (err) {
    // A log folder that cannot be written must not keep the till's window from opening.
    problem = err;
  }
  const log = createLogger(
    {
      write(line: string) {
        try {
          file?.write(line);
        } catch {
          // A full disk must not take the till's window down with it.
        }
        if ((opts.echo || !file) && Number(/"level":(\d+)/.exec(line)?.[1] ?? 0) >= 40)
          process.stderr.write(`${formatEntry(JSON.parse(line) as Record<string, unknown>)}\n`);
      },
    },
    { source: 'shell' },
  );
  if (problem) log.warn({ err: problem }, 'the shell log cannot be written; warnings go to stderr only');
  return { log, close: () => file?.close() };
}

/**
 * Copies a child's output into the log one line at a time, as it arrives; what the child printed
 * on stderr is a warning (nobody prints there for fun), stdout is info. A last line without its
 * newline is written when the stream ends.
 */
export function copyOutputToLog(stream: NodeJS.ReadableStream, log: Logger, from: { process: string; stream: 'stdout' | 'stderr' }): void {
  let partial = '';
  const output = `${from.process} ${from.stream}`;
  const emit = (line: string) => {
    if (line.trim() === '') return;
    if (from.stream === 'stderr') log.warn({ output }, line);
    else log.info({ output }, line);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    lines.forEach(emit);
  });
  stream.on('end', () => {
    emit(partial);
    partial = '';
  });
}
