// TOTP (RFC 6238) through the otpauth library, and recovery codes.
import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const totpUri = (secretBase32: string, issuer: string, label: string): string =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secretBase32) }).toString();

/** The time step a code belongs to (one step of clock drift either way), or null. */
export function matchTotp(secretBase32: string, code: string, now: Date): number | null {
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secretBase32), timestamp: now.getTime(), window: 1 });
  return delta === null ? null : TOTP.counter({ timestamp: now.getTime() }) + delta;
}

export const totpCodeAt = (secretBase32: string, at: Date): string =>
  TOTP.generate({ secret: Secret.fromBase32(secretBase32), timestamp: at.getTime() });

// No 0/1/o/l/i: codes are read off paper and typed by hand.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(count = 10): string[] {
  const part = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return Array.from({ length: count }, () => `${part()}-${part()}`);
}
