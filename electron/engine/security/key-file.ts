// The key that seals PII, held outside the database. In serve mode and the CLI it is a file
// readable only by its owner; the Electron shell keeps it in the OS keychain (safeStorage).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/** Reads the 32-byte key, creating it with mode 0600 on first use. */
export function loadOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError(`key file ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new KeyFileError(`key file ${path} does not hold a 32-byte key`);
  return key;
}
