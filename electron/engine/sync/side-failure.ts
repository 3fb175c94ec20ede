// How either side takes a failed attempt: what the status says about it, and how long the side
// rests before trying again.
import { ChainMismatch } from './central-ledger.ts';
import { CentralNotReady } from './central-check.ts';
import { sideFailed, type Side } from './loop-sides.ts';
import { backoffDelay, DEFAULT_BACKOFF, isConnectionFailure, isRefusedLogin, type Backoff } from './retry-policy.ts';
import { describeSyncError } from './sync-errors.ts';

/** A person must act before trying again helps: the rest is then half a minute at least. */
const BLOCKED_REST_MS = 30_000;

/** The side after a failed attempt, and the rest before the next (`failures` counts this one). */
export function afterFailure(
  before: Side,
  err: unknown,
  failures: number,
  opts: { nowIso: string; at: number; backoff?: Backoff | undefined; random?: (() => number) | undefined },
): { side: Side; restMs: number } {
  const refusedLogin = isRefusedLogin(err);
  const blocked = err instanceof CentralNotReady || err instanceof ChainMismatch || refusedLogin;
  // Online: central answered and let us in, even if it then refused something.
  const online = !refusedLogin && (blocked || ((err as { code?: string }).code !== undefined && !isConnectionFailure(err)));
  const error = describeSyncError(err);
  const side = sideFailed(before, { online, error, blocked: blocked ? error : null }, opts.nowIso, opts.at);
  const delay = backoffDelay(failures, opts.backoff ?? DEFAULT_BACKOFF, opts.random);
  return { side, restMs: blocked ? Math.max(BLOCKED_REST_MS, delay) : delay };
}
