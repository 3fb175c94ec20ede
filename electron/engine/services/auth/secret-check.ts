// Checks a PIN or password against its identity. Every path does the same work (one Argon2
// verification, one identity update, one audit row), so the time taken does not reveal whether
// the employee or address exists; wrong secrets slow down and then lock, and both are audited.
import { eq } from 'drizzle-orm';
import { userIdentities } from '../../../../db/schema/auth.ts';
import { EngineError } from '../../errors.ts';
import { requireTerminal, type EngineServices } from '../../services.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { hashSecret, verifySecret } from './secret-hash.ts';
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
  identity_id: string; user_id: string; employee_id: string; display_name: string; business_id: string;
  secret_hash: string; failed_attempts: number; locked_until: Date | null;
};

const CANDIDATE_COLUMNS = `i.id AS identity_id, e.user_id, e.id AS employee_id, e.display_name, e.business_id,
  i.secret_hash, i.failed_attempts, i.locked_until`;

// A real Argon2id hash of nothing anyone knows, verified when there is no identity to check.
const decoyHash = hashSecret(`decoy-${Math.random()}-${Date.now()}`);

const toCandidate = (row: CandidateRow | undefined): Candidate | undefined => row && {
  identityId: row.identity_id, userId: row.user_id, employeeId: row.employee_id, displayName: row.display_name,
  businessId: row.business_id, secretHash: row.secret_hash, failedAttempts: row.failed_attempts, lockedUntil: row.locked_until,
};

/** An active employee of this terminal's business and branch, with their PIN identity. */
export async function findPinCandidate(services: EngineServices, employeeId: string) {
  const terminal = requireTerminal(services);
  const [row] = await services.sql.query<CandidateRow>(`
    SELECT ${CANDIDATE_COLUMNS}
    FROM business.employees e
    JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $3 AND eb.deleted_at IS NULL
    JOIN auth.user_identities i ON i.user_id = e.user_id AND i.provider = 'PIN' AND i.business_id = e.business_id AND i.deleted_at IS NULL
    WHERE e.id = $1 AND e.business_id = $2 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL`,
    [employeeId, terminal.businessId, terminal.branchId]);
  return toCandidate(row);
}

/** The password identity for an address, and the person's employee record in this business. */
export async function findPasswordCandidate(services: EngineServices, email: string) {
  const terminal = requireTerminal(services);
  const [row] = await services.sql.query<CandidateRow>(`
    SELECT ${CANDIDATE_COLUMNS}
    FROM auth.user_identities i
    JOIN business.employees e ON e.user_id = i.user_id AND e.business_id = $2 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL
    WHERE i.provider = 'PASSWORD' AND i.subject = $1 AND i.deleted_at IS NULL`,
    [email.toLowerCase(), terminal.businessId]);
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
  /** A second factor is checked next: keep the failure count until it passes too. */
  secondFactorFollows?: boolean;
};

/** Resolves with the identity when the secret is right; otherwise audits and throws. */
export async function checkSecret(services: EngineServices, check: SecretCheck): Promise<CheckedIdentity & { failedAttempts: number }> {
  const terminal = requireTerminal(services);
  const now = services.now();
  const { candidate } = check;
  const audit = (outcome: 'SUCCESS' | 'FAILURE' | 'DENIED', details: Record<string, unknown>, action = check.action) =>
    recordAudit(services.db, {
      action, outcome, businessId: terminal.businessId, branchId: terminal.branchId, deviceId: terminal.deviceId,
      actorUserId: check.requestedBy?.userId ?? candidate?.userId,
      actorEmployeeId: check.requestedBy?.employeeId ?? candidate?.employeeId,
      approverEmployeeId: check.requestedBy ? candidate?.employeeId : undefined,
      entityType: check.subject.type, entityId: check.subject.id ?? candidate?.employeeId,
      details: { ...check.context, ...(check.subject.label ? { subject: check.subject.label } : {}), ...details },
    });

  if (!candidate) {
    await verifySecret(await decoyHash, check.secret);
    // The same statement the other paths run, matching no row.
    await services.db.update(userIdentities).set({ lastUsedAt: now }).where(eq(userIdentities.id, '00000000-0000-7000-8000-000000000000'));
    await audit('FAILURE', { reason: 'unknown_identity' });
    throw badCredentials();
  }

  let { failedAttempts, lockedUntil } = candidate;
  if (lockedUntil !== null && !isLocked(lockedUntil, now)) {
    await services.db.update(userIdentities).set({ lockedUntil: null, failedAttempts: 0 }).where(eq(userIdentities.id, candidate.identityId));
    await audit('SUCCESS', { reason: 'lock_expired', lockedUntil: lockedUntil.toISOString() }, 'auth.unlock');
    failedAttempts = 0;
    lockedUntil = null;
  }

  const matches = await verifySecret(candidate.secretHash, check.secret);
  if (isLocked(lockedUntil, now)) {
    await services.db.update(userIdentities).set({ lastUsedAt: now }).where(eq(userIdentities.id, candidate.identityId));
    await audit('DENIED', { reason: 'locked', lockedUntil: lockedUntil!.toISOString() });
    throw lockedError(lockedUntil!);
  }
  if (!matches) {
    await recordFailure(services, candidate, failedAttempts, (details, action) => audit('FAILURE', details, action), 'wrong_secret');
  }
  if (!check.secondFactorFollows) await resetFailures(services, candidate);
  // Success is audited by the caller, which knows the session or the override it led to.
  return { ...candidate, failedAttempts };
}

export async function resetFailures(services: EngineServices, identity: { identityId: string }) {
  await services.db.update(userIdentities).set({ failedAttempts: 0, lastUsedAt: services.now() }).where(eq(userIdentities.id, identity.identityId));
}

/** Counts one more failure against an identity (a wrong secret or a wrong second factor). */
export async function recordFailure(
  services: EngineServices,
  identity: { identityId: string },
  failedBefore: number,
  audit: (details: Record<string, unknown>, action?: string) => Promise<unknown>,
  reason: string,
): Promise<never> {
  const now = services.now();
  const outcome = afterFailure(services.throttle, failedBefore, now);
  await services.db.update(userIdentities)
    .set({ failedAttempts: outcome.failedAttempts, lockedUntil: outcome.lockedUntil, lastUsedAt: now })
    .where(eq(userIdentities.id, identity.identityId));
  await audit({ reason, consecutiveFailures: failedBefore + 1 });
  if (outcome.lockedUntil) {
    await audit({ reason: 'too_many_failures', lockedUntil: outcome.lockedUntil.toISOString() }, 'auth.lockout');
    throw lockedError(outcome.lockedUntil);
  }
  await services.sleep(outcome.delayMs);
  throw reason === 'wrong_secret' ? badCredentials() : new EngineError('MFA_INVALID', 'that code is not valid; try the current one');
}

const badCredentials = () => new EngineError('BAD_CREDENTIALS', 'wrong employee, address or secret');
const lockedError = (until: Date) =>
  new EngineError('LOCKED', `too many failed attempts; locked until ${until.toISOString()}`, { lockedUntil: until.toISOString() });
