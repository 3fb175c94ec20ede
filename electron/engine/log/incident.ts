// The number a cashier reads out to support after an internal error: short, in letters that
// cannot be mistaken for each other on a phone line (Crockford's base 32: no I, L, O or U), and
// the same one the log line with the stack carries, so support finds it with `pos logs | grep`.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const INCIDENT_ID = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** Eight symbols, 40 random bits: no two incidents of a till's lifetime share one. */
export function newIncidentId(): string {
  const bytes = randomBytes(8);
  let id = '';
  for (let i = 0; i < 8; i++) id += ALPHABET[bytes[i]! & 31];
  return `${id.slice(0, 4)}-${id.slice(4)}`;
}
