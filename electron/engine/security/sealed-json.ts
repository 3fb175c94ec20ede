// Application-level encryption for sensitive columns (KYC data, TOTP secrets): AES-256-GCM from
// Node's crypto. The associated data binds a ciphertext to its table, column and row, so a
// sealed value copied into another row does not open. Beside it, keyed lookup hashes: a sealed
// e-mail cannot be searched, so a row also keeps an HMAC of it under a key derived from the same
// PII key (HKDF), which finds the row by the e-mail without opening any and tells nothing to
// whoever holds the database without the key.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedJson } from '#db/schema/auth.ts';

export class SealError extends Error {
  override name = 'SealError';
}

export type Sealer = {
  seal(value: unknown, context: string): SealedJson;
  open<T = unknown>(sealed: SealedJson, context: string): T;
  /**
   * HMAC-SHA256 of `value` (hex) under a key HKDF derives from the PII key for `purpose`, such as
   * 'sales.customers.email': equal values give equal hashes for one purpose, and a hash made for
   * one purpose says nothing about the same value under another. Normalise `value` first.
   */
  lookupHash(purpose: string, value: string): string;
};

/** The HKDF `info` of a lookup-hash key: versioned, so a change of scheme cannot collide with this one. */
const lookupInfo = (purpose: string) => `pos lookup-hash v1:${purpose}`;

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new SealError('AES-256-GCM needs a 32-byte key');
  const kid = createHash('sha256').update(key).digest('hex').slice(0, 12);
  const lookupKeys = new Map<string, Buffer>();
  const lookupKey = (purpose: string) => {
    let derived = lookupKeys.get(purpose);
    if (!derived) {
      if (purpose === '') throw new SealError('a lookup hash needs a purpose');
      derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), lookupInfo(purpose), 32));
      lookupKeys.set(purpose, derived);
    }
    return derived;
  };
  return {
    lookupHash(purpose, value) {
      return createHmac('sha256', lookupKey(purpose)).update(value, 'utf8').digest('hex');
    },
    seal(value, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return {
        v: 1,
        alg: 'A256GCM',
        kid,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(sealed, context) {
      if (sealed.v !== 1 || sealed.alg !== 'A256GCM') throw new SealError(`unknown sealed format ${sealed.alg} v${sealed.v}`);
      if (sealed.kid !== kid) throw new SealError(`sealed with another key (${sealed.kid}); this terminal holds ${kid}`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
        return JSON.parse(text);
      } catch {
        throw new SealError(`sealed value does not open for ${context} (tampered, or moved from another row)`);
      }
    },
  };
}
