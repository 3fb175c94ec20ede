// How wrong PINs are answered: the first few at once, then more and more slowly, then a lock
// for a while. Pure, so the policy is tested without waiting.
export type ThrottlePolicy = {
  /** The failure that locks the identity (5: the fifth wrong PIN in a row). */
  lockAfter: number;
  lockMinutes: number;
  /** Delay before answering the nth consecutive failure (index n-1); the last repeats. */
  delaysMs: number[];
  /**
   * Wrong or unknown PINs on this register, whoever they named, within a sliding window: the
   * failure that reaches the limit closes the register to further checks of that kind until
   * the oldest counted failure leaves the window. Sign-ins (and PIN or password changes) and
   * overrides are counted apart, so spraying overrides never closes sign-in, nor the reverse.
   */
  registerWindowMinutes: number;
  registerSignInLimit: number;
  /**
   * Below lockAfter on purpose: a wrong override PIN counts against the register, not against
   * the employee it names, and the register stops listening first, so a cashier spraying
   * override PINs at the owner can neither guess on nor lock the owner out.
   */
  registerOverrideLimit: number;
};

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  lockAfter: 5,
  lockMinutes: 15,
  delaysMs: [0, 0, 1000, 2000],
  registerWindowMinutes: 15,
  registerSignInLimit: 10,
  registerOverrideLimit: 3,
};

export type FailureOutcome = { failedAttempts: number; delayMs: number; lockedUntil: Date | null };

export function afterFailure(
  policy: Pick<ThrottlePolicy, 'lockAfter' | 'lockMinutes' | 'delaysMs'>,
  failedBefore: number,
  now: Date,
): FailureOutcome {
  const failures = failedBefore + 1;
  if (failures >= policy.lockAfter) {
    return { failedAttempts: 0, delayMs: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failedAttempts: failures, delayMs: policy.delaysMs[Math.min(failures, policy.delaysMs.length) - 1] ?? 0, lockedUntil: null };
}

export const isLocked = (lockedUntil: Date | null, now: Date) => lockedUntil !== null && lockedUntil.getTime() > now.getTime();
