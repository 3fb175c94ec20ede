// How many wrong PINs this register has taken lately, whoever they named. Read from the audit
// trail, where every failed check is written before it is answered: a restart (or pulling the
// plug) does not give a cashier a fresh window, and no second record can disagree with the
// first. The window is measured on the audit trail's own clock, and only up to now, so a
// clock set back does not leave the register closed for as long as it went back.
import { EngineError } from '#engine/errors.ts';
import { requireTerminal, type EngineContainer } from '#engine/container.ts';

export type CheckScope = 'sign_in' | 'override';

export const scopeOf = (action: string): CheckScope => (action === 'auth.override' ? 'override' : 'sign_in');

/** The failures that count: a guess at a secret, not a refusal because something was already locked. */
export const COUNTED_REASONS = ['wrong_secret', 'unknown_identity'] as const;

const limitOf = (services: EngineContainer, scope: CheckScope) =>
  scope === 'override' ? services.throttle.registerOverrideLimit : services.throttle.registerSignInLimit;

/** When this register takes checks of this kind again, or null when it takes them now. */
export async function registerClosedUntil(services: EngineContainer, scope: CheckScope): Promise<Date | null> {
  const terminal = requireTerminal(services);
  const [row] = await services.sql.query<{ until: Date }>(
    `
    SELECT created_at + make_interval(secs => $4) AS until FROM auth.audit_logs
    WHERE created_at > now() - make_interval(secs => $4) AND created_at <= now()
      AND device_id = $1 AND outcome = 'FAILURE' AND (action = 'auth.override') = $2
      AND details->>'reason' = ANY($5::text[])
    ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT 1`,
    [
      terminal.deviceId,
      scope === 'override',
      limitOf(services, scope) - 1,
      services.throttle.registerWindowMinutes * 60,
      [...COUNTED_REASONS],
    ],
  );
  return row ? new Date(row.until) : null;
}

export function registerClosed(scope: CheckScope, until: Date): EngineError {
  const what = scope === 'override' ? 'authorisations' : 'sign-ins';
  return new EngineError(
    'LOCKED',
    `too many wrong PINs on this register; ${what} are refused until ${until.toISOString()}`,
    // The reason lets the screens say which checks are paused (sign-ins or authorisations) and until when.
    { lockedUntil: until.toISOString(), scope: 'register', reason: `register_${scope}` },
  );
}
