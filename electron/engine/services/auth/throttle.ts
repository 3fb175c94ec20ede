// How wrong PINs are answered: the first few at once, then more and more slowly, then a lock
// for a while. Pure, so the policy is tested without waiting.
export type ThrottlePolicy = {
  /** The failure that locks the identity (5: the fifth wrong PIN in a row). */
  lockAfter: number;
  lockMinutes: number;
  /** Delay before answering the nth consecutive failure (index n-1); the last repeats. */
  delaysMs: number[];
};

export const DEFAULT_THROTTLE: ThrottlePolicy = { lockAfter: 5, lockMinutes: 15, delaysMs: [0, 0, 1000, 2000] };

export type FailureOutcome = { failedAttempts: number; delayMs: number; lockedUntil: Date | null };

export function afterFailure(policy: ThrottlePolicy, failedBefore: number, now: Date): FailureOutcome {
  const failures = failedBefore + 1;
  if (failures >= policy.lockAfter) {
    return { failedAttempts: 0, delayMs: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failedAttempts: failures, delayMs: policy.delaysMs[Math.min(failures, policy.delaysMs.length) - 1] ?? 0, lockedUntil: null };
}

export const isLocked = (lockedUntil: Date | null, now: Date) => lockedUntil !== null && lockedUntil.getTime() > now.getTime();
