// What a request asked for, as a short digest kept beside its idempotency key: a retry with the
// key and the same body gets the first answer, the key reused for another body is a conflict
// rather than the first answer to a question nobody asked twice.
import { createHash } from 'node:crypto';
import { EngineError } from './errors.ts';

/** JSON with object keys in order, so the same input always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The digest of a call's validated input. */
export const requestFingerprint = (input: unknown): string => createHash('sha256').update(canonical(input)).digest('hex');

/**
 * Refuses a repeated key whose first request had another body. The fingerprint travels in the
 * journal's fact and is kept in PGlite beside the record (public.pos_request_keys), so a fact the
 * start-up reconciliation journals after a crash carries it too. `first` is undefined only for a
 * record written before fingerprints existed: that retry is answered as before.
 */
export function requireSameRequest(first: string | undefined, now: string, what: string, message?: string): void {
  if (first === undefined || first === now) return;
  throw new EngineError(
    'CONFLICT',
    message ?? `that idempotency key was already used for a different ${what}; make a new key for a new request`,
    {
      reason: 'IDEMPOTENCY_KEY_REUSED',
    },
  );
}
