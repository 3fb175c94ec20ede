// Nobody hands out more than they hold. staff.manage lets a manager hire and give PINs, and
// roles.manage lets someone shape roles; without this check either one could give themselves
// (or a friend) the owner's role, or set the owner's PIN and sign in as the owner.
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { permissionsOf } from './grants.ts';
import type { Permission } from '#contract/permissions.ts';

/** What the person behind this call holds: the approving manager's when one approved it. */
async function authorityOf(ctx: CallContext): Promise<ReadonlySet<Permission>> {
  return ctx.approver ? permissionsOf(ctx.services.sql, ctx.approver.employeeId) : requireSession(ctx).permissions;
}

/** Permissions in `wanted` that the caller does not hold, in order. */
export function beyond(authority: ReadonlySet<Permission>, wanted: Iterable<Permission>): Permission[] {
  return [...new Set(wanted)].filter((p) => !authority.has(p)).sort();
}

type Target = { entityType: 'employee' | 'role'; entityId: string | null; what: string };

/**
 * Refuses the call (FORBIDDEN, with the permissions at stake) unless the caller holds every one
 * of `wanted`; a refusal is audited, since it is what an attempt to climb looks like.
 */
export async function requireWithinAuthority(ctx: CallContext, wanted: Iterable<Permission>, target: Target): Promise<void> {
  const missing = beyond(await authorityOf(ctx), wanted);
  if (missing.length === 0) return;
  await recordSessionAudit(
    ctx.services,
    requireSession(ctx),
    {
      action: 'auth.beyond_authority',
      outcome: 'DENIED',
      entityType: target.entityType,
      entityId: target.entityId ?? undefined,
      details: { call: ctx.call, what: target.what, missing },
    },
    ctx.approver,
  );
  throw new EngineError('FORBIDDEN', `${target.what} needs permissions you do not hold yourself: ${missing.join(', ')}`, {
    permissions: missing,
  });
}
