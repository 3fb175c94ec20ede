// Checks a PIN or password against its identity. Every path does the same work (one read and
// two updates of the identity, one Argon2 verification, one audit row), so the time taken does
// not reveal whether the employee or address exists; wrong secrets slow down and then lock,
// and both are audited.
import { eq, sql } from 'drizzle-orm';
import { userIdentities } from '#db/schema/auth.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal, type EngineContainer } from '#engine/container.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { hashSecret, verifySecret } from './secret-hash.ts';
import { oneAtATime } from './one-guess-at-a-time.ts';
import { registerClosed, registerClosedUntil, scopeOf, type CheckScope } from './register-window.ts';
import { afterFailure, isLocked } from './throttle.ts';

export type CheckedIdentity = {
  identityId: string;
  userId: string;
  employeeId: string;
  displayName: string;
  businessId: string;
};

type Candidate = CheckedIdentity & { secretHash: string; failedAttempts: number; lockedUntil: Date | null };

type CandidateRow = {
  identity_id: string;
  user_id: string;
  employee_id: string;
  display_name: string;
  business_id: string;
  secret_hash: string;
  failed_attempts: number;
  locked_until: Date | null;
};

const CANDIDATE_COLUMNS = `i.id AS identity_id, e.user_id, e.id AS employee_id, e.display_name, e.business_id,
  i.secret_hash, i.failed_attempts, i.locked_until`;

// A real Argon2id hash of nothing anyone knows, verified when there is no identity to check.
const decoyHash = hashSecret(`decoy-${Math.random()}-${Date.now()}`);

const toCandidate = (row: CandidateRow | undefined): Candidate | undefined =>
  row && {
    identityId: row.identity_id,
    userId: row.user_id,
    employeeId: row.employee_id,
    displayName: row.display_name,
    businessId: row.business_id,
    secretHash: row.secret_hash,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
  };

/** An active employee of this terminal's business and branch, with their PIN identity. */
export async function findPinCandidate(services: EngineContainer, employeeId: string) {
  const terminal = requireTerminal(services);
  const [row] = await services.sql.query<CandidateRow>(
    `
    SELECT ${CANDIDATE_COLUMNS}
    FROM business.employees e
    JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $3 AND eb.deleted_at IS NULL
    JOIN auth.user_identities i ON i.user_id = e.user_id AND i.provider = 'PIN' AND i.business_id = e.business_id AND i.deleted_at IS NULL
    WHERE e.id = $1 AND e.business_id = $2 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL`,
    [employeeId, terminal.businessId, terminal.branchId],
  );
  return toCandidate(row);
}

/** The password identity for an address, and the person's employee record in this business. */
export async function findPasswordCandidate(services: EngineContainer, email: string) {
  const terminal = requireTerminal(services);
  const [row] = await services.sql.query<CandidateRow>(
    `
    SELECT ${CANDIDATE_COLUMNS}
    FROM auth.user_identities i
    JOIN business.employees e ON e.user_id = i.user_id AND e.business_id = $2 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL
    WHERE i.provider = 'PASSWORD' AND i.subject = $1 AND i.deleted_at IS NULL`,
    [email.toLowerCase(), terminal.businessId],
  );
  return toCandidate(row);
}

export type SecretCheck = {
  candidate: Candidate | undefined;
  secret: string;
  /** The audit action: auth.sign_in, auth.override, auth.pin_change… */
  action: string;
  /** Who is asking, when it is not the identity's owner (the cashier asking for an override). */
  requestedBy?: { userId: string; employeeId: string };
  subject: { type: string; id?: string; label?: string };
  context?: Record<string, unknown>;
  /**
   * A second factor, checked in the identity's queue right after the secret was found right and
   * with the guess still counted: resolves null when it passed (or the person has none), or the
   * reason it failed, which is counted as a wrong secret would be. Throwing (no code was given)
   * gives the guess back.
   */
  secondFactor?: (who: CheckedIdentity) => Promise<string | null>;
};

/**
 * Resolves with the identity when the secret is right; otherwise audits and throws.
 *
 * Guesses at one identity are checked one at a time, and each is counted in the database
 * before its Argon2 verification starts: fifty wrong PINs sent at once meet the lock after the
 * fifth, exactly as if typed in a row, and a crash mid-check leaves the guess counted. Every
 * check also passes the register's window (register-window.ts): a wrong override PIN counts
 * there only, never against the employee it named.
 */
export async function checkSecret(services: EngineContainer, check: SecretCheck): Promise<CheckedIdentity & { failedAttempts: number }> {
  const scope = scopeOf(check.action);
  return oneAtATime(services, `identity:${check.candidate?.identityId ?? 'unknown'}`, async () => {
    try {
      // The register's window is held only for the check itself, not for the wait after a
      // wrong PIN: one employee's slowed retries do not hold up another's sign-in.
      return await oneAtATime(services, `register:${services.terminal?.deviceId}:${scope}`, () => checkOnce(services, check, scope));
    } catch (err) {
      if (!(err instanceof WrongGuess)) throw err;
      await services.sleep(err.delayMs);
      throw err.answer;
    }
  });
}

/** A wrong secret, answered after the throttle's delay (which keeps this identity's queue waiting). */
class WrongGuess extends Error {
  constructor(
    readonly delayMs: number,
    readonly answer: EngineError = badCredentials(),
  ) {
    super('wrong secret');
  }
}

type Counters = { failed_attempts: number; locked_until: Date | null };
const NO_IDENTITY = '00000000-0000-7000-8000-000000000000';

async function checkOnce(
  services: EngineContainer,
  check: SecretCheck,
  scope: CheckScope,
): Promise<CheckedIdentity & { failedAttempts: number }> {
  const terminal = requireTerminal(services);
  const now = services.now();
  const { candidate } = check;
  const audit = (outcome: 'SUCCESS' | 'FAILURE' | 'DENIED', details: Record<string, unknown>, action = check.action) =>
    recordAudit(services.db, {
      action,
      outcome,
      businessId: terminal.businessId,
      branchId: terminal.branchId,
      deviceId: terminal.deviceId,
      actorUserId: check.requestedBy?.userId ?? candidate?.userId,
      actorEmployeeId: check.requestedBy?.employeeId ?? candidate?.employeeId,
      approverEmployeeId: check.requestedBy ? candidate?.employeeId : undefined,
      entityType: check.subject.type,
      entityId: check.subject.id ?? candidate?.employeeId,
      details: { ...check.context, ...(check.subject.label ? { subject: check.subject.label } : {}), ...details },
    });
  /** Throws LOCKED when the failure just audited is the one that closes the register. */
  const closeRegisterIfFull = async () => {
    const until = await registerClosedUntil(services, scope);
    if (!until) return;
    await recordAudit(services.db, {
      action: 'auth.lockout',
      outcome: 'FAILURE',
      businessId: terminal.businessId,
      branchId: terminal.branchId,
      deviceId: terminal.deviceId,
      actorUserId: check.requestedBy?.userId ?? candidate?.userId,
      actorEmployeeId: check.requestedBy?.employeeId ?? candidate?.employeeId,
      entityType: 'register',
      entityId: terminal.registerId,
      details: { reason: 'too_many_failures_on_register', scope, lockedUntil: until.toISOString() },
    });
    throw registerClosed(scope, until);
  };

  const closedUntil = await registerClosedUntil(services, scope);
  if (closedUntil) {
    // Nothing is verified: the register is closed to everyone alike, so this says nothing about who exists.
    await audit('DENIED', { reason: 'register_limit', lockedUntil: closedUntil.toISOString() });
    throw registerClosed(scope, closedUntil);
  }

  // Read again here, not from the candidate: the guess queued ahead of this one may have changed it.
  const [counters] = await services.sql.query<Counters>('SELECT failed_attempts, locked_until FROM auth.user_identities WHERE id = $1', [
    candidate?.identityId ?? NO_IDENTITY,
  ]);
  let failedAttempts = counters?.failed_attempts ?? 0;
  let lockedUntil = counters?.locked_until ? new Date(counters.locked_until) : null;
  if (candidate && lockedUntil !== null && !isLocked(lockedUntil, now)) {
    await services.db
      .update(userIdentities)
      .set({ lockedUntil: null, failedAttempts: 0 })
      .where(eq(userIdentities.id, candidate.identityId));
    await audit('SUCCESS', { reason: 'lock_expired', lockedUntil: lockedUntil.toISOString() }, 'auth.unlock');
    failedAttempts = 0;
    lockedUntil = null;
  }
  const locked = isLocked(lockedUntil, now);
  // The guess is counted before it is checked; a right secret gives the count back below. An
  // override guess is the register's to count, and an unknown identity matches no row: both
  // run the same statement so that every path does the same work.
  const countsHere = scope === 'sign_in' && !locked && candidate !== undefined;
  await services.db
    .update(userIdentities)
    .set({ lastUsedAt: now, ...(countsHere ? { failedAttempts: sql`${userIdentities.failedAttempts} + 1` } : {}) })
    .where(eq(userIdentities.id, candidate?.identityId ?? NO_IDENTITY));

  const matches = await verifySecret(candidate?.secretHash ?? (await decoyHash), check.secret);
  if (!candidate) {
    await services.db.update(userIdentities).set({ lastUsedAt: now }).where(eq(userIdentities.id, NO_IDENTITY));
    await audit('FAILURE', { reason: 'unknown_identity' });
    await closeRegisterIfFull();
    throw new WrongGuess(0);
  }
  if (locked) {
    await audit('DENIED', { reason: 'locked', lockedUntil: lockedUntil!.toISOString() });
    throw lockedError(lockedUntil!);
  }
  if (!matches) {
    if (!countsHere) {
      await services.db.update(userIdentities).set({ lastUsedAt: now }).where(eq(userIdentities.id, candidate.identityId));
      await audit('FAILURE', { reason: 'wrong_secret' });
      await closeRegisterIfFull();
      throw new WrongGuess(0);
    }
    const outcome = afterFailure(services.throttle, failedAttempts, now);
    await services.db
      .update(userIdentities)
      .set({ failedAttempts: outcome.failedAttempts, lockedUntil: outcome.lockedUntil })
      .where(eq(userIdentities.id, candidate.identityId));
    await audit('FAILURE', { reason: 'wrong_secret', consecutiveFailures: failedAttempts + 1 });
    if (outcome.lockedUntil)
      await audit('FAILURE', { reason: 'too_many_failures', lockedUntil: outcome.lockedUntil.toISOString() }, 'auth.lockout');
    await closeRegisterIfFull();
    if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil);
    throw new WrongGuess(outcome.delayMs);
  }
  if (countsHere && check.secondFactor) {
    // Still in the queue and still counted: a burst of codes after the right password meets
    // the lock after the fifth, as a burst of PINs does, instead of all being checked first.
    let failed: string | null;
    try {
      failed = await check.secondFactor(candidate);
    } catch (err) {
      await services.db.update(userIdentities).set({ failedAttempts }).where(eq(userIdentities.id, candidate.identityId));
      throw err;
    }
    if (failed !== null) {
      const outcome = afterFailure(services.throttle, failedAttempts, now);
      await services.db
        .update(userIdentities)
        .set({ failedAttempts: outcome.failedAttempts, lockedUntil: outcome.lockedUntil })
        .where(eq(userIdentities.id, candidate.identityId));
      await audit('FAILURE', { reason: failed, consecutiveFailures: failedAttempts + 1 }, 'auth.mfa');
      if (outcome.lockedUntil) {
        await audit('FAILURE', { reason: 'too_many_failures', lockedUntil: outcome.lockedUntil.toISOString() }, 'auth.lockout');
        throw lockedError(outcome.lockedUntil);
      }
      throw new WrongGuess(outcome.delayMs, new EngineError('MFA_INVALID', 'that code is not valid; try the current one'));
    }
  }
  if (countsHere) {
    await services.db.update(userIdentities).set({ failedAttempts: 0 }).where(eq(userIdentities.id, candidate.identityId));
  }
  // Success is audited by the caller, which knows the session or the override it led to.
  return { ...candidate, failedAttempts };
}

const badCredentials = () => new EngineError('BAD_CREDENTIALS', 'wrong employee, address or secret');
const lockedError = (until: Date) =>
  new EngineError('LOCKED', `too many failed attempts; locked until ${until.toISOString()}`, { lockedUntil: until.toISOString() });
