// The back office's step-up. A PIN opens the register, but a PIN is six digits that a cashier
// may have watched being typed: changing the catalog, the stock, the staff or the roles needs
// the person behind the session to have proved their password and second factor lately. The
// proof is kept on the session (auth.sessions.mfa_verified_at, which a password sign-in with a
// second factor also sets) and lasts `auth.stepUpMinutes` (a business or branch setting).
import type { Access } from '#contract/fields.ts';
import { EngineError } from '#engine/errors.ts';
import { log } from '#engine/log/logger.ts';
import type { EngineContainer } from '#engine/container.ts';
import type { Permission } from '#contract/permissions.ts';
import type { ActiveSession } from './sessions.ts';

export const DEFAULT_STEP_UP_MINUTES = 15;
/** A working day at most: past that a step-up is a second sign-in that never ends. */
export const MAX_STEP_UP_MINUTES = 480;
export const STEP_UP_SETTING = 'auth.stepUpMinutes';

/**
 * The permissions whose calls change what the back office keeps (and, for staff, read people's
 * contact details): each such call needs a live step-up. Reads open to any session (the
 * catalog, stock levels) stay PIN-level: a cashier sees the same at the till.
 */
export const STEP_UP_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'catalog.manage',
  'inventory.receive',
  'inventory.adjust',
  'staff.manage',
  'roles.manage',
  'settings.manage',
]);

export const needsStepUp = (access: Access): boolean => access !== 'public' && access !== 'session' && STEP_UP_PERMISSIONS.has(access);

/** When a step-up proved at `verifiedAt` ends, or null when there was none. */
export const stepUpEnds = (verifiedAt: Date | null, minutes: number): Date | null =>
  verifiedAt === null ? null : new Date(verifiedAt.getTime() + minutes * 60_000);

/** Whether a step-up ending at `until` still holds at `now`. */
export const stepUpLive = (until: Date | null, now: Date): boolean => until !== null && until.getTime() > now.getTime();

/** The setting's value in minutes; out of range or not a whole number, the default (and a warning). */
export function readStepUpMinutes(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_STEP_UP_MINUTES;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_STEP_UP_MINUTES) return value;
  log.warn(
    { setting: STEP_UP_SETTING },
    `settings: ${STEP_UP_SETTING} = ${JSON.stringify(value)} is not 1 to ${MAX_STEP_UP_MINUTES} minutes; using ${DEFAULT_STEP_UP_MINUTES}`,
  );
  return DEFAULT_STEP_UP_MINUTES;
}

/** How long a step-up lasts here: the branch's setting, else the business's, else 15 minutes. */
export async function stepUpMinutes(services: EngineContainer, session: Pick<ActiveSession, 'businessId' | 'branchId'>): Promise<number> {
  const rows = await services.sql.query<{ value: unknown }>(
    `
    SELECT value FROM business.settings
    WHERE business_id = $1 AND key = $2 AND deleted_at IS NULL AND (branch_id IS NULL OR branch_id = $3)
    ORDER BY branch_id NULLS FIRST`,
    [session.businessId, STEP_UP_SETTING, session.branchId ?? services.terminal?.branchId ?? null],
  );
  return readStepUpMinutes(rows.at(-1)?.value);
}

/** When this session's step-up ends (null: it has none). */
export async function stepUpUntil(services: EngineContainer, session: ActiveSession): Promise<Date | null> {
  return stepUpEnds(session.steppedUpAt, await stepUpMinutes(services, session));
}

/** Refuses (STEP_UP_REQUIRED) a session whose step-up is missing or over; the screen then asks for the password and code. */
export async function requireStepUp(services: EngineContainer, session: ActiveSession): Promise<void> {
  const until = await stepUpUntil(services, session);
  if (stepUpLive(until, services.now())) return;
  throw new EngineError(
    'STEP_UP_REQUIRED',
    'confirm your password and authenticator code to change the back office',
    until ? { expiredAt: until.toISOString(), reason: 'expired' } : {},
  );
}
