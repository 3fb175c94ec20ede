// Sessions in auth.sessions. The client holds a random token; the database holds only its
// SHA-256, so a copied database cannot be used to sign in.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { sessions } from '#db/schema/auth.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';
import { isPermission, requiresMfa, type Permission } from '#contract/permissions.ts';

export const SESSION_TTL_MS = { PIN: 12 * 3600_000, PASSWORD: 8 * 3600_000 } as const;

export type ActiveSession = {
  id: string;
  kind: 'PIN' | 'PASSWORD';
  userId: string;
  employeeId: string;
  employeeName: string;
  businessId: string;
  branchId: string | null;
  permissions: ReadonlySet<Permission>;
  /** A password session of an administrator without a second factor yet: only MFA set-up. */
  mfaEnrollmentRequired: boolean;
  /** When this session last proved the password and second factor (sign-in or step-up): the back office's step-up (step-up.ts). */
  steppedUpAt: Date | null;
  expiresAt: Date;
};

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type NewSession = Omit<typeof sessions.$inferInsert, 'refreshTokenHash' | 'expiresAt'> & { kind: 'PIN' | 'PASSWORD' };

export async function createSession(db: AppDb, session: NewSession, now: Date) {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[session.kind]);
  const [row] = await db
    .insert(sessions)
    .values({ ...session, refreshTokenHash: hashToken(token), expiresAt, lastSeenAt: now })
    .returning({ id: sessions.id });
  return { token, sessionId: row!.id, expiresAt };
}

type SessionRow = {
  id: string;
  kind: 'PIN' | 'PASSWORD';
  user_id: string;
  employee_id: string;
  employee_name: string;
  business_id: string;
  branch_id: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  mfa_verified_at: Date | null;
  employee_live: boolean;
  permissions: string[];
  has_factor: boolean;
};

// Every call a signed-in employee makes starts here.
const SESSION_BY_TOKEN = `
  SELECT s.id, s.kind, s.user_id, s.employee_id, e.display_name AS employee_name, s.business_id, s.branch_id,
         s.expires_at, s.revoked_at, s.mfa_verified_at,
         (e.status = 'ACTIVE' AND e.deleted_at IS NULL) AS employee_live,
         ARRAY(SELECT p.code FROM business.role_permissions rp JOIN business.permissions p ON p.id = rp.permission_id
               WHERE rp.role_id = e.role_id AND rp.deleted_at IS NULL AND p.deleted_at IS NULL)::text[] AS permissions,
         EXISTS (SELECT 1 FROM auth.mfa_factors f WHERE f.user_id = s.user_id AND f.verified_at IS NOT NULL AND f.deleted_at IS NULL) AS has_factor
  FROM auth.sessions s JOIN business.employees e ON e.id = s.employee_id
  WHERE s.refresh_token_hash = $1::text AND s.deleted_at IS NULL`;

/** The session behind a token, with its employee's current permissions; throws if unusable. */
export async function loadSession(sql: SqlSession, token: string | undefined, now: Date): Promise<ActiveSession> {
  if (!token) throw new EngineError('NOT_SIGNED_IN', 'sign in first');
  const [row] = await sql.query<SessionRow>(SESSION_BY_TOKEN, [hashToken(token)]);
  if (!row) throw new EngineError('NOT_SIGNED_IN', 'this session does not exist; sign in again');
  if (row.revoked_at) throw new EngineError('SESSION_REVOKED', 'this session was signed out; sign in again');
  if (!row.employee_live) throw new EngineError('SESSION_REVOKED', 'this employee is no longer active');
  if (row.expires_at.getTime() <= now.getTime()) throw new EngineError('SESSION_EXPIRED', 'this session has expired; sign in again');
  const permissions = new Set(row.permissions.filter(isPermission));
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    employeeId: row.employee_id,
    employeeName: row.employee_name,
    businessId: row.business_id,
    branchId: row.branch_id,
    permissions,
    mfaEnrollmentRequired: row.kind === 'PASSWORD' && requiresMfa(permissions) && row.mfa_verified_at === null && !row.has_factor,
    steppedUpAt: row.mfa_verified_at,
    expiresAt: row.expires_at,
  };
}

export async function revokeSession(db: AppDb, sessionId: string, reason: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** "Sign out everywhere else": every live session of the person except this one. */
export async function revokeOtherSessions(db: AppDb, keep: ActiveSession, now: Date): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: 'signed out from another session' })
    .where(and(eq(sessions.userId, keep.userId), ne(sessions.id, keep.id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}

/** Swaps the token for a new one and extends the expiry; the old token stops working. */
export async function refreshSession(db: AppDb, session: ActiveSession, now: Date) {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[session.kind]);
  await db
    .update(sessions)
    .set({ refreshTokenHash: hashToken(token), expiresAt, lastSeenAt: now })
    .where(eq(sessions.id, session.id));
  return { token, expiresAt };
}
