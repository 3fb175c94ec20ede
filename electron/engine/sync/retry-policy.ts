// Which failures talking to central are worth retrying as they are, and how long to wait.
// A retryable failure (network, central restarting, a serialization conflict) leaves the batch
// where it is; anything else is about one fact and quarantines it, so it never blocks the rest.

/** SQLSTATE classes and codes that say "try again later", not "this row is wrong". */
const RETRYABLE_CLASSES = ['08', '53', '57', '58'];
const RETRYABLE_CODES = new Set(['40001', '40P01', '55P03', '55006', '25P02', '57014']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export type FailureKind = 'retry' | 'reject';

export function classifyFailure(err: unknown): FailureKind {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CODES.has(code)) return 'retry';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (RETRYABLE_CODES.has(code) || RETRYABLE_CLASSES.includes(code.slice(0, 2))) return 'retry';
    return 'reject';
  }
  // No SQLSTATE: the driver lost the connection or timed out (node-postgres says so in words).
  return 'retry';
}

/** The link itself failed (no SQLSTATE, a socket error, central going away): offline, not refused. */
export function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === undefined || /^(E[A-Z]+|08...|57P0[1-3])$/.test(code);
}

/** Central answered but will not let this terminal in (password, role, database): a person has to fix sync.json or provisioning. */
export function isRefusedLogin(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '28P01' || code === '28000' || code === '3D000';
}

export type Backoff = { baseMs: number; maxMs: number };

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 60_000 };

/**
 * "Full jitter": a random wait between zero and an exponentially growing cap, so twenty
 * terminals that lost central together do not all come back in the same second.
 */
export function backoffDelay(failures: number, policy: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.floor(random() * cap);
}
