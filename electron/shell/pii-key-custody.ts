// Where the desktop app keeps the key that seals PII (identity documents, TOTP secrets): sealed
// by the OS keychain through Electron's safeStorage in DATA_DIR/keys/pii.key.sealed, so a copy
// of the data directory (a backup, a stolen disk) does not carry a key that opens it. The shell
// reads it at start and hands the plain key to the engine's process in its start message.
//
// Where the keychain cannot protect it (Linux with no keyring: safeStorage's "basic_text"
// backend encrypts with a fixed password), the key stays the 0600 file the engine reads itself,
// and the shell says so. A plain key left by serve mode is moved into the sealed form.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkPiiKey, loadOrCreateKeyFile, piiKeyPaths, PII_KEY_BYTES } from '#engine/security/key-file.ts';

/** What the shell uses of Electron's safeStorage (its own type has these members). */
export type Keychain = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only, and only meaningful once the app is ready. */
  getSelectedStorageBackend?(): string;
};

export type PiiKeyCustody =
  /** Hand this key to the engine; `note` is a line for the log when something changed. */
  | { kind: 'keychain'; key: Buffer; note: string | null }
  /** The engine reads keys/pii.key (0600) itself; `reason` is why, for the log. */
  | { kind: 'file'; reason: string }
  /** The engine must not start on this directory with a key of its own; `message` says why and what to do. */
  | { kind: 'refused'; message: string };

/** Whether the keychain really protects what it seals here, and if not, why (for the log). */
export function keychainProtection(keychain: Keychain, platform: NodeJS.Platform): { protects: true } | { protects: false; why: string } {
  if (!keychain.isEncryptionAvailable())
    return { protects: false, why: 'the OS keychain is not available (safeStorage.isEncryptionAvailable() is false)' };
  if (platform === 'linux') {
    const backend = keychain.getSelectedStorageBackend?.() ?? 'unknown';
    // basic_text seals with a password compiled into Chromium: no better than the 0600 file.
    if (backend === 'basic_text' || backend === 'unknown') {
      return { protects: false, why: `no keyring holds the key on this Linux desktop (safeStorage backend "${backend}")` };
    }
  }
  return { protects: true };
}

/**
 * Decides and does what the key needs before the engine starts: opens the sealed key, seals a
 * new one, or moves serve mode's plain key into the sealed form. Never makes a second key for a
 * directory that has one, since PII sealed under the first would be lost.
 */
export function takePiiKeyCustody(dataDir: string, keychain: Keychain, platform: NodeJS.Platform = process.platform): PiiKeyCustody {
  const paths = piiKeyPaths(dataDir);
  const protection = keychainProtection(keychain, platform);
  const hasSealed = existsSync(paths.sealed);
  const hasPlain = existsSync(paths.plain);

  if (hasSealed) {
    if (!protection.protects) {
      return {
        kind: 'refused',
        message:
          `${paths.sealed} is sealed by the OS keychain, but ${protection.why}. ` +
          'Sign in to the desktop session as the user who set up this till (its keyring unlocked) and start the app again.',
      };
    }
    let key: Buffer;
    try {
      key = checkPiiKey(Buffer.from(keychain.decryptString(readFileSync(paths.sealed)), 'base64'), paths.sealed);
    } catch (err) {
      return {
        kind: 'refused',
        message:
          `${paths.sealed} does not open with this user's OS keychain (${(err as Error).message}); ` +
          'it was sealed by another user or machine. Start the app as that user, or restore this till from central.',
      };
    }
    if (!hasPlain) return { kind: 'keychain', key, note: null };
    // A move that stopped between sealing and removing the plain key is finished now.
    let plain: Buffer;
    try {
      plain = loadOrCreateKeyFile(paths.plain);
    } catch (err) {
      return { kind: 'refused', message: `${paths.plain} is beside ${paths.sealed} and cannot be read: ${(err as Error).message}` };
    }
    if (!plain.equals(key)) {
      return {
        kind: 'refused',
        message:
          `${paths.plain} and ${paths.sealed} hold different keys; PII sealed under either would be lost. ` +
          'Keep the one this data directory was set up with and move the other out of keys/.',
      };
    }
    removePlainKey(paths.plain);
    return { kind: 'keychain', key, note: `finished moving the PII key into the OS keychain; ${paths.plain} removed` };
  }

  if (!protection.protects) {
    return { kind: 'file', reason: `${protection.why}; the PII key stays in ${paths.plain} (mode 0600), readable by this user only` };
  }
  if (hasPlain) {
    let key: Buffer;
    try {
      key = loadOrCreateKeyFile(paths.plain);
    } catch (err) {
      return { kind: 'refused', message: (err as Error).message };
    }
    writeSealed(paths.sealed, key, keychain);
    removePlainKey(paths.plain);
    return { kind: 'keychain', key, note: `moved the PII key from ${paths.plain} into the OS keychain (${paths.sealed})` };
  }
  const key = randomBytes(PII_KEY_BYTES);
  writeSealed(paths.sealed, key, keychain);
  return { kind: 'keychain', key, note: `created the PII key, sealed by the OS keychain in ${paths.sealed}` };
}

/** Written aside, flushed, then renamed: a crash leaves the old state or the new, never half a key. */
function writeSealed(path: string, key: Buffer, keychain: Keychain): void {
  const sealed = keychain.encryptString(key.toString('base64'));
  // Proved to open before the plain key can go: a keychain that seals but cannot open again would strand the PII.
  if (!Buffer.from(keychain.decryptString(sealed), 'base64').equals(key))
    throw new Error('the OS keychain did not give the PII key back as it was sealed');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${process.pid}.tmp`;
  const fd = openSync(aside, 'w', 0o600);
  try {
    writeSync(fd, sealed);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(aside, path);
  // The rename must be on disk before the plain key is removed, or a power cut could lose both.
  if (process.platform !== 'win32') {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

/** The plain key's bytes are overwritten before the file goes, so the file system keeps less of it. */
function removePlainKey(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = readFileSync(path).length;
    writeSync(fd, Buffer.alloc(size), 0, size, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  rmSync(path);
}

/**
 * What main sends the engine in its start message: the key in base64, or null for the engine to
 * use keys/pii.key. A refusal or a failure is logged and the engine still starts: selling needs no
 * PII, and without a handed key the engine makes no second key beside a sealed one (key-file.ts).
 */
export function piiKeyForEngine(
  dataDir: string,
  keychain: Keychain,
  log: (level: 'info' | 'warn' | 'error', line: string) => void,
  platform: NodeJS.Platform = process.platform,
): string | null {
  let custody: PiiKeyCustody;
  try {
    custody = takePiiKeyCustody(dataDir, keychain, platform);
  } catch (err) {
    log('error', `the PII key could not be taken into the OS keychain: ${(err as Error).message}; the engine starts without it`);
    return null;
  }
  if (custody.kind === 'file') log('warn', custody.reason);
  if (custody.kind === 'refused')
    log('error', `${custody.message} The till sells meanwhile; identity documents and TOTP secrets cannot be opened.`);
  if (custody.kind !== 'keychain') return null;
  if (custody.note) log('info', custody.note);
  return custody.key.toString('base64');
}
