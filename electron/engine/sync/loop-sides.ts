// The push and the pull run on their own connections and schedules, and each knows only how its
// own last attempt went. The status shows one state for central, made of both: an error either
// side is still retrying, a block either side hit, the earliest failure of the current outage,
// and "online" as the latest attempt of either side found central (a push stuck behind a lock
// while the pull comes down is online and needs attention; an idle push says nothing of a link
// the pull just found gone).
import type { LoopOutcome } from './push-state.ts';

export type Side = {
  /** Whether this side's last attempt reached central; null before its first. */
  online: boolean | null;
  error: string | null;
  blocked: string | null;
  failingSince: string | null;
  /** When the last attempt ended (ms, this machine's clock), to tell which side spoke last. */
  at: number;
};

/** A side before its first attempt in this run, carrying what the last run recorded. */
export function sideFrom(outcome: LoopOutcome): Side {
  return { online: null, error: outcome.lastError, blocked: outcome.blocked, failingSince: outcome.failingSince, at: 0 };
}

export function sideSucceeded(at: number): Side {
  return { online: true, error: null, blocked: null, failingSince: null, at };
}

export function sideFailed(
  before: Side,
  failure: { online: boolean; error: string; blocked: string | null },
  nowIso: string,
  at: number,
): Side {
  return { ...failure, failingSince: before.failingSince ?? nowIso, at };
}

export type SideOutcome = Pick<LoopOutcome, 'online' | 'lastError' | 'failingSince' | 'blocked'>;

/** The one outcome the status shows; `fallbackOnline` is what the last run said while neither side has tried yet. */
export function combineSides(push: Side, pull: Side, fallbackOnline: boolean): SideOutcome {
  const tried = [push, pull].filter((s) => s.online !== null).sort((a, b) => b.at - a.at);
  const since = [push.failingSince, pull.failingSince].filter((s): s is string => s !== null).sort();
  return {
    online: tried[0]?.online ?? fallbackOnline,
    lastError: push.error ?? pull.error,
    failingSince: since[0] ?? null,
    blocked: push.blocked ?? pull.blocked,
  };
}
