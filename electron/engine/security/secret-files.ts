// Secrets kept as files beside the data directory's database, readable only by their owner: the
// PII key's rule (key-file.ts) for the CSD, the PAC account and the card providers' tokens.
// Whoever reads them can act in the owner's name, so a file others can read is refused, not used.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyFileError } from './key-file.ts';

export function readSecretFile(path: string): Buffer {
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError(`secret ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  return readFileSync(path);
}

export function writeSecretFile(dir: string, name: string, content: Uint8Array | string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  // A file that existed keeps its mode through writeFileSync: tighten it either way.
  chmodSync(path, 0o600);
}
