// The token in a phone link: who it is for and until when, signed with central's link secret
// (HMAC-SHA256), so central can check a link it made without having stored it. It is made when
// the e-mail is sent and lives only in that e-mail: whoever holds it for a day may subscribe a
// browser to that person's alerts, which is what the person asked for.
//   <user id>.<expiry, Unix seconds>.<HMAC, base64url>
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link works once sent. */
export const LINK_TTL_MS = 24 * 3600 * 1000;
export const MIN_SECRET_LENGTH = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHAPE = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export type LinkTokenCheck = { ok: true; userId: string; expiresAt: Date } | { ok: false; problem: 'malformed' | 'forged' | 'expired' };

// The purpose is part of what is signed: a signature made for something else with the same
// secret is never a valid link.
const signature = (secret: string, userId: string, exp: number) =>
  createHmac('sha256', secret).update(`pos-push-link.v1\u0000${userId}\u0000${exp}`).digest();

function requireSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`the link secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

export function makeLinkToken(secret: string, userId: string, expiresAt: Date): string {
  requireSecret(secret);
  if (!UUID.test(userId)) throw new Error(`a link is for a user id, not "${userId}"`);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${userId}.${exp}.${signature(secret, userId, exp).toString('base64url')}`;
}

/** Whose link this is, if central signed it and it has not run out at `now`. */
export function readLinkToken(secret: string, token: string, now: Date): LinkTokenCheck {
  requireSecret(secret);
  const m = SHAPE.exec(token);
  if (!m || !UUID.test(m[1]!)) return { ok: false, problem: 'malformed' };
  const [, userId = '', expText = '', sent = ''] = m;
  const exp = Number(expText);
  const given = Buffer.from(sent, 'base64url');
  const expected = signature(secret, userId, exp);
  // The 43rd character carries two bits that are not the signature's: a link with them changed
  // decodes to the same bytes, and is still a link someone changed.
  if (given.toString('base64url') !== sent) return { ok: false, problem: 'forged' };
  // Compared in constant time: the answer's timing says nothing of how much of it was right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'forged' };
  if (exp * 1000 <= now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, userId, expiresAt: new Date(exp * 1000) };
}
