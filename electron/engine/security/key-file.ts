// The key that seals PII, held outside the database. In serve mode and the CLI it is a file
// readable only by its owner; the desktop shell keeps it sealed by the OS keychain (safeStorage,
// electron/shell/pii-key-custody.ts) and hands the plain key to the engine in a message.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSealer, SealError, type Sealer } from './sealed-json.ts';

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

export const PII_KEY_BYTES = 32;

/** Where a data directory's PII key lives: plain (serve mode, CLI) and sealed by the OS keychain (desktop app). */
export const piiKeyPaths = (dataDir: string) => {
  const plain = join(dataDir, 'keys', 'pii.key');
  return { plain, sealed: `${plain}.sealed` };
};

/** Reads the 32-byte key, creating it with mode 0600 on first use. */
export function loadOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    // A directory the desktop app moved into the keychain has no plain key on purpose; a new one
    // here would seal new PII under a key the app does not hold and strand what it sealed.
    if (existsSync(`${path}.sealed`)) {
      throw new KeyFileError(
        `the PII key of this data directory is sealed in the desktop app's OS keychain (${path}.sealed); ` +
          'only the desktop app, signed in as the same user, can open it',
      );
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Written whole beside it, then linked into place: a process that starts at the same moment
    // (central's web processes share a directory) reads either no key or the whole key, and the
    // one that links second keeps the first one's.
    const written = `${path}.${process.pid}.new`;
    writeFileSync(written, `${randomBytes(PII_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(written, 0o600);
    try {
      linkSync(written, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(written);
    }
  }
  return loadKeyFile(path);
}

/**
 * Reads a 32-byte key that must be there already: for whoever only opens what another process
 * sealed, where a new key would open nothing and seal under a key the others do not hold.
 */
export function loadKeyFile(path: string): Buffer {
  if (!existsSync(path)) throw new KeyFileError(`key file ${path} is missing`);
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError(`key file ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  return checkPiiKey(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), `key file ${path}`);
}

/** A key must be exactly 32 bytes for AES-256-GCM; anything else is refused before it seals a thing. */
export function checkPiiKey(key: Uint8Array, from: string): Buffer {
  if (key.length !== PII_KEY_BYTES)
    throw new KeyFileError(`${from} does not hold a ${PII_KEY_BYTES}-byte key (it has ${key.length} bytes)`);
  return Buffer.from(key);
}

/**
 * The engine's sealer: over the key the desktop shell handed in, or else over keys/pii.key. A
 * directory whose key only the desktop app can open still serves everything that needs no PII
 * (selling, PIN sign-in, maintenance commands); sealing or opening PII then says why it cannot.
 */
export function piiSealerFor(dataDir: string, handedKey?: Uint8Array): Sealer {
  if (handedKey !== undefined) return createSealer(checkPiiKey(handedKey, 'the PII key the desktop shell handed over'));
  const { plain, sealed } = piiKeyPaths(dataDir);
  if (!existsSync(plain) && existsSync(sealed)) {
    const why = `the PII key of ${dataDir} is sealed in the desktop app's OS keychain; identity documents, TOTP secrets and customers' contacts open only in the desktop app`;
    return {
      seal: () => {
        throw new SealError(why);
      },
      open: () => {
        throw new SealError(why);
      },
      lookupHash: () => {
        throw new SealError(why);
      },
    };
  }
  return createSealer(loadOrCreateKeyFile(plain));
}
