// A log file that one process appends to and rotates by size: engine.log, then engine.log.1 (the
// newest rotated) up to engine.log.N, the oldest overwritten. Writes are synchronous: a line
// logged just before a crash or a kill is already in the OS's hands, and a terminal logs a few
// lines a minute, not one per call. Files are 0600 and the folder 0700 (PINs are redacted, but a
// log still names employees, calls and errors).
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type RotationPolicy = {
  /** A file is rotated before a line would take it past this size. */
  maxBytes: number;
  /** Rotated files kept beside the live one. */
  keep: number;
};

/** 5 MiB a file and 4 old ones: at most 25 MiB a log on a till's small disk, weeks of lines. */
export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 5 * 1024 * 1024, keep: 4 };

export type RotatingFile = {
  path: string;
  write(line: string): void;
  close(): void;
};

export const rotatedName = (path: string, n: number) => (n === 0 ? path : `${path}.${n}`);

export function openRotatingFile(path: string, policy: RotationPolicy = DEFAULT_ROTATION): RotatingFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder's mode alone; one made by an older build may be 0755.
  chmodSync(dirname(path), 0o700);
  let fd = -1;
  let size = 0;
  const open = () => {
    fd = openSync(path, 'a', 0o600);
    fchmodSync(fd, 0o600);
    size = fstatSync(fd).size;
  };
  const rotate = () => {
    closeSync(fd);
    fd = -1;
    for (let n = policy.keep; n >= 1; n--) {
      try {
        renameSync(rotatedName(path, n - 1), rotatedName(path, n));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    open();
  };
  open();
  return {
    path,
    write(line) {
      if (fd < 0) return;
      const bytes = Buffer.from(line, 'utf8');
      if (size > 0 && size + bytes.length > policy.maxBytes) rotate();
      writeSync(fd, bytes);
      size += bytes.length;
    },
    close() {
      if (fd < 0) return;
      closeSync(fd);
      fd = -1;
    },
  };
}
