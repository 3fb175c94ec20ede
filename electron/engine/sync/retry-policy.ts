// Which failures talking to central are worth retrying as they are, and how long to wait.
// A retryable failure (network, central restarting, a serialization conflict) leaves the batch
// where it is; anything else is about one fact and quarantines it, so it never blocks the rest.

/**
 * SQLSTATE classes and codes that say "try again later", not "this row is wrong": the link
 * (08), central short of resources (53) or being stopped (57: shutdown, a statement timeout or
 * cancel), a system error (58), serialization failures and deadlocks, and a lock another session
 * holds past lock_timeout (55P03). 25P02 is not here: inside a fact's savepoint it means that
 * fact's replay swallowed an error, and sending the batch again would meet it again.
 */
const RETRYABLE_CLASSES = ['08', '53', '57', '58'];
const RETRYABLE_CODES = new Set(['40001', '40P01', '55P03', '55006']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/**
 * What node-postgres says, with no code, when the connection failed or was never there
 * (pg-pool and pg's client, as of pg 8).
 */
const DRIVER_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Query read timeout/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^The server does not support SSL connections/,
];

export type FailureKind = 'retry' | 'reject';

/**
 * The decider for a push: 'retry' leaves the whole batch to be sent again later, 'reject' sets
 * the one fact that failed aside. Anything with a SQLSTATE outside the retryable ones is about
 * the data (22 bad data, 23 integrity, 42501 row-level security, P0001 a trigger's refusal...);
 * an error with no SQLSTATE is the driver's connection trouble when it says so, and otherwise a
 * replay that could not read its payload (a TypeError on a malformed fact): reject, which
 * central-ledger only does once it has seen the connection still answer.
 */
export function classifyFailure(err: unknown): FailureKind {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CODES.has(code)) return 'retry';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (RETRYABLE_CODES.has(code) || RETRYABLE_CLASSES.includes(code.slice(0, 2))) return 'retry';
    return 'reject';
  }
  if (code && /^E[A-Z]+$/.test(code)) return 'retry';
  if (!(err instanceof Error)) return 'retry';
  const message = typeof e?.message === 'string' ? e.message : '';
  return DRIVER_CONNECTION_MESSAGES.some((m) => m.test(message)) ? 'retry' : 'reject';
}

/** A failure that carries a SQLSTATE: central itself answered it, so the connection was alive. */
export function hasSqlState(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** Central is busy, not refusing: a lock held past lock_timeout, or a statement timeout or cancel. */
export function isLockOrTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '55P03' || code === '57014';
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
