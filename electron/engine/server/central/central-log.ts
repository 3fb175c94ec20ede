// The service's log: pino JSON lines on stdout (what a container runtime or journald collects)
// and, outside a container, also in DATA_DIR/logs/central.log, rotated by size.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from '../../log/logger.ts';
import { openRotatingFile, type RotatingFile } from '../../log/rotating-file.ts';

export type CentralLog = { logger: Logger; file: string | null; close(): void };

export function openCentralLog(logDir: string | null, base: Record<string, unknown>): CentralLog {
  let file: RotatingFile | null = null;
  if (logDir) file = openRotatingFile(join(logDir, 'central.log'), { maxBytes: 20 * 1024 * 1024, keep: 10 });
  const logger = createLogger(
    {
      write(line) {
        process.stdout.write(line);
        try {
          file?.write(line);
        } catch {
          // A full disk must not stop the service; stdout still has the line.
        }
      },
    },
    { service: 'pos-central', ...base },
  );
  return {
    logger,
    file: file?.path ?? null,
    close() {
      file?.close();
      file = null;
    },
  };
}
